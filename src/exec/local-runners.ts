/**
 * The action runners of this machine: a reused shell for `cmd` stages, a
 * worker thread for `run` stages (see action-runner.ts for the interface).
 */
import { join, relative } from "node:path";
import type { Stage } from "../pipeline/index.js";
import { shellQuote } from "../util/shell-quote.js";
import { INTERRUPTED } from "./events.js";
import { ShellRunners } from "./shell-runner.js";
import type { ActionOutcome, ActionRequest, ActionRunner } from "./action-runner.js";
import type { WorkerDep } from "./stage-worker.js";
import { WorkerPool } from "./worker-pool.js";

/** Both local runners of one build, and their shutdown. */
export class LocalRunners {
  readonly #shells: ShellRunners;
  readonly #workers = new WorkerPool();
  readonly #shell: ActionRunner;
  readonly #worker: ActionRunner;

  /** `tempDir` is a temp folder of this invocation (the shells' job files live there). */
  constructor(tempDir: string) {
    this.#shells = new ShellRunners(tempDir);
    this.#shell = { run: (request) => runCommand(this.#shells, request) };
    this.#worker = { run: (request) => runFunction(this.#workers, request) };
  }

  /** The runner of a stage's kind of action. */
  for(stage: Stage): ActionRunner {
    return stage.action.kind === "cmd" ? this.#shell : this.#worker;
  }

  async close(): Promise<void> {
    await this.#workers.close();
    this.#shells.close();
  }
}

async function runCommand(shells: ShellRunners, request: ActionRequest): Promise<ActionOutcome> {
  const { stage } = request;
  if (stage.action.kind !== "cmd") throw new Error(`${stage.id} is not a command stage`); // chosen by kind above
  const outcome = await shells.run({
    command: await expandCommand(stage.action.cmd, request),
    cwd: request.shadow.cwd,
    env: { SLUICE_STAGE: stage.id, SLUICE_WORKSPACE: request.workspaceRoot },
    signal: request.signal,
    onOutput: request.onOutput,
  });
  if (request.signal.aborted) return { ok: false, reason: "interrupted", message: INTERRUPTED };
  if (outcome.spawnError) return { ok: false, reason: "exit-non-zero", message: `could not start /bin/sh: ${outcome.spawnError}` };
  if (outcome.exitCode !== 0) {
    return { ok: false, reason: "exit-non-zero", message: outcome.signal ? `killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}` };
  }
  return { ok: true, decisions: [] };
}

/** Substitutes `{deps.x}`, `{outs.y}`, `{params.z}` with shell-quoted values. */
async function expandCommand(cmd: string, request: ActionRequest): Promise<string> {
  const { stage, shadow } = request;
  // Paths are relative to the command's working directory: short in logs, and inside the shadow.
  const local = (path: string) => relative(shadow.cwd, path) || ".";
  const values = new Map<string, string>();
  for (const dep of stage.deps) {
    values.set(
      `deps.${dep.name}`,
      dep.kind === "external" ? JSON.stringify(await request.depValue(dep.name)) : local(join(shadow.root, dep.path)),
    );
  }
  for (const out of stage.outs) values.set(`outs.${out.name}`, local(request.tempOuts[out.name] as string));
  for (const [name, value] of Object.entries(request.params)) {
    values.set(`params.${name}`, typeof value === "string" ? value : JSON.stringify(value));
  }
  return cmd.replace(/\{((?:deps|outs|params)\.[A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : shellQuote(value);
  });
}

async function runFunction(workers: WorkerPool, request: ActionRequest): Promise<ActionOutcome> {
  const { stage, workspaceRoot } = request;
  const deps: Record<string, WorkerDep> = {};
  for (const dep of stage.deps) {
    if (dep.kind === "external") deps[dep.name] = { kind: "value", value: await request.depValue(dep.name) };
    else if (dep.kind === "output" && dep.outKind === "json") {
      deps[dep.name] = { kind: "json", path: join(workspaceRoot, dep.path), from: `${dep.stage}.${dep.out}` };
    } else deps[dep.name] = { kind: "path", path: join(workspaceRoot, dep.path) };
  }
  const task = {
    id: stage.id,
    projectFile: stage.moduleFile,
    projectName: stage.project,
    stageName: stage.name,
    projectDir: stage.projectDir,
    workspaceRoot,
    params: request.params,
    deps,
    outs: request.tempOuts,
    upstreamKeys: request.upstreamKeys(),
  };
  return workers.run(task, request.onOutput, request.signal);
}
