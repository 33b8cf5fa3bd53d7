/**
 * Runs `run` stage functions inside a worker thread, so CPU-bound stages are
 * truly parallel. The worker imports the project's pipeline file itself (the
 * function is a value there), builds the stage context, and reports log
 * lines, decisions and the outcome over its message port. Console output of
 * the stage is routed into its log instead of the terminal, in order.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { parentPort } from "node:worker_threads";
import { contractMessage } from "../util/contract-message.js";
import {
  importThroughHooks,
  isLazyRun,
  originalStack,
  type DeclaredProject,
  type Json,
  type LazyRun,
  type OutDecl,
  type RunContext,
  type StageDecision,
} from "../pipeline/index.js";

/** A dep as handed to the worker. */
export type WorkerDep =
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "json"; readonly path: string; readonly from: string }
  | { readonly kind: "value"; readonly value: Json };

export interface WorkerTask {
  readonly id: string;
  /** The module declaring the project: its compiled mirror, or the `.ts` source. */
  readonly projectFile: string;
  readonly projectName: string;
  readonly stageName: string;
  readonly projectDir: string;
  readonly workspaceRoot: string;
  readonly params: Readonly<Record<string, Json>>;
  readonly deps: Readonly<Record<string, WorkerDep>>;
  /** Output name -> temp path to write. */
  readonly outs: Readonly<Record<string, string>>;
  /** Keys of every upstream stage, transitively, by id. */
  readonly upstreamKeys: Readonly<Record<string, string>>;
}

export type WorkerMessage =
  | { readonly type: "log"; readonly text: string }
  | { readonly type: "decision"; readonly decision: StageDecision; readonly held: boolean }
  | { readonly type: "done" }
  | { readonly type: "error"; readonly reason: "threw" | "contract-violation"; readonly message: string };

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage) => port.postMessage(message);
  const route = (chunk: unknown): boolean => {
    post({ type: "log", text: typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8") });
    return true;
  };
  process.stdout.write = route as typeof process.stdout.write;
  process.stderr.write = route as typeof process.stderr.write;
  port.on("message", (task: WorkerTask) => {
    runTask(task, post).then(
      () => post({ type: "done" }),
      (error: unknown) => post(errorMessage(error)),
    );
  });
}

async function runTask(task: WorkerTask, post: (message: WorkerMessage) => void): Promise<void> {
  const project = await findProject(task);
  const declared = project.stages.find((s) => s.handle.name === task.stageName);
  if (!declared || (typeof declared.decl.run !== "function" && !isLazyRun(declared.decl.run))) {
    throw new Error(`stage ${task.id} has no run function in ${task.projectFile}`);
  }
  const run = await stageFunction(declared.decl.run, task.id);
  const deps: Record<string, unknown> = {};
  for (const [name, dep] of Object.entries(task.deps)) {
    if (dep.kind === "path") deps[name] = dep.path;
    else if (dep.kind === "value") deps[name] = dep.value;
    else {
      const ref = declared.decl.deps?.[name];
      const schema = ref?.ref === "output" && ref.out.kind === "json" ? ref.out.schema : undefined;
      const value: unknown = JSON.parse(await readFile(dep.path, "utf8"));
      const checked = schema ? schema.safeParse(value) : { success: true as const, data: value };
      if (!checked.success) {
        throw new ContractViolation(`dep "${name}" (${dep.from}) breaks its contract: ${contractMessage(checked.error)}`);
      }
      deps[name] = checked.data;
    }
  }
  const ctx: RunContext<Record<string, never>, Record<string, Json>, Record<string, OutDecl>> = {
    id: task.id,
    projectDir: task.projectDir,
    workspaceRoot: task.workspaceRoot,
    deps: deps as never,
    params: task.params,
    // Named `<file>:<key>`, a colon no declared param's name holds (see fileParamName).
    fileParams: Object.fromEntries(Object.entries(task.params).filter(([name]) => name.includes(":"))),
    upstreamKeys: task.upstreamKeys,
    outs: task.outs,
    log: (...parts) => post({ type: "log", text: `${parts.map((p) => (typeof p === "string" ? p : inspect(p))).join(" ")}\n` }),
    decide: (decision, options) => post({ type: "decision", decision, held: options?.held === true }),
  };
  const returned = (await run(ctx)) as Record<string, unknown> | undefined;
  for (const [name, out] of Object.entries(declared.decl.outs ?? {})) {
    const value = returned?.[name];
    const path = task.outs[name];
    if (out.kind !== "json" || value === undefined || !path) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  }
}

/** The stage's function: held by the declaration, or loaded now from the module a `runFrom` names (its first evaluation). */
async function stageFunction(run: ((ctx: never) => unknown) | LazyRun, id: string): Promise<(ctx: unknown) => unknown> {
  if (typeof run === "function") return run as (ctx: unknown) => unknown;
  const module = (await run.load()) as Record<string, unknown>;
  const fn = module[run.exportName];
  if (typeof fn !== "function") throw new Error(`stage ${id}: runFrom names export "${run.exportName}", which its module does not export as a function`);
  return fn as (ctx: unknown) => unknown;
}

class ContractViolation extends Error {}

async function findProject(task: WorkerTask): Promise<DeclaredProject> {
  // A compiled mirror is plain JavaScript; a source file needs the TypeScript loader.
  const module = /\.[cm]?tsx?$/.test(task.projectFile)
    ? await importThroughHooks(task.projectFile)
    : ((await import(pathToFileURL(task.projectFile).href)) as Record<string, unknown>);
  for (const value of [module["default"], ...Object.values(module)]) {
    const candidate = value as Partial<DeclaredProject> | undefined;
    if (candidate?.kind === "sluice-project" && candidate.name === task.projectName) return candidate as DeclaredProject;
  }
  throw new Error(`${task.projectFile} does not export project "${task.projectName}"`);
}

function errorMessage(error: unknown): WorkerMessage {
  // Stage code (the promote stage) may throw its own errors named ContractViolation: no stack for those either.
  if (error instanceof ContractViolation || (error instanceof Error && error.name === "ContractViolation")) {
    return { type: "error", reason: "contract-violation", message: error.message };
  }
  // A stage that refuses on purpose (the promote stage facing a damaged or
  // locked registry, a broken policy, a moved champion) names its error
  // StageRefusal: the message says everything, frames would only look like a crash.
  if (error instanceof Error && error.name === "StageRefusal") return { type: "error", reason: "threw", message: error.message };
  const text = error instanceof Error ? `${error.message}\n${userFrames(error)}` : String(error);
  return { type: "error", reason: "threw", message: text.trim() };
}

/** The stack frames that point at user code, not at the worker or node internals. */
function userFrames(error: Error): string {
  return originalStack(error.stack ?? "")
    .split("\n")
    .slice(1)
    .filter((line) => !line.includes("node:") && !line.includes("/src/exec/") && !line.includes("/node_modules/"))
    .slice(0, 3)
    .join("\n");
}
