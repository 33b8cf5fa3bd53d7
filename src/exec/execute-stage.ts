/**
 * Executes one stage that missed the cache:
 *
 *   temp outs -> run (cmd or worker) -> contracts -> inputs unchanged?
 *     -> store objects -> place outputs -> write run record
 *
 * Any failure on the way removes the temp space and the stage's outputs,
 * and writes no record.
 */
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { CacheSession, Digest, KeyComponents, RecordedOut, RunRecord, StageKey } from "../cache/index.js";
import type { Json, Stage, StageDecision, Workspace } from "../pipeline/index.js";
import { INTERRUPTED, type FailureReason, type StageResult } from "./events.js";
import { placeOutputs, removeOutputs, storeOutputs, tempOutPaths } from "./outputs.js";
import { readRunMetrics } from "./metrics-outputs.js";
import { writeParamsOverlays } from "./params-overlay.js";
import { strayFiles, type ShadowPool, type Shadow } from "./shadow.js";
import { shellQuote } from "../util/shell-quote.js";
import type { ShellRunners } from "./shell-runner.js";
import { contractMessage } from "../util/contract-message.js";
import type { WorkerDep } from "./stage-worker.js";
import type { WorkerPool } from "./worker-pool.js";

/** What runs stage actions: shell runners for `cmd` stages, worker threads for `run` stages. */
export interface Executors {
  readonly shells: ShellRunners;
  readonly workers: WorkerPool;
  /** The shadow trees stages run in. */
  readonly shadows: ShadowPool;
}

export interface ExecuteOptions {
  readonly workspace: Workspace;
  readonly stage: Stage;
  readonly params: Readonly<Record<string, Json>>;
  readonly components: KeyComponents;
  readonly key: StageKey;
  readonly depDigests: ReadonlyMap<string, Digest>;
  /** Keys of every upstream stage, transitively (lineage handed to `run` stages). */
  readonly upstreamKeys: () => Readonly<Record<string, string>>;
  /** The resolved value of an external dep. */
  readonly depValue: (name: string) => Promise<Json>;
  readonly signal: AbortSignal;
  readonly onLog: (text: string) => void;
  /** Problems worth a line that do not fail the stage (an upload the remote refused). */
  readonly onWarning: (message: string) => void;
  /** Undeclared outputs fail the stage instead of warning (`--strict`). */
  readonly strict: boolean;
  /** Run into scratch space only: hash the outputs, store and place nothing, write no record. */
  readonly scratch?: boolean;
  /**
   * Called once the command or function has ended, before its outputs are
   * checked and stored: what the stage held to run (a job slot, a GPU) is
   * free for the next stage while this one's bookkeeping goes on.
   */
  readonly onActionEnd?: () => void;
}

/** A stage that executed, with what the run history needs. */
export interface ExecutedStage {
  readonly result: StageResult;
  readonly params: Readonly<Record<string, Json>>;
  readonly components: KeyComponents;
  readonly startedAt: string;
  readonly metrics: Json | undefined;
}

const LOG_TAIL_LINES = 20;

/**
 * Executes a stage. A filesystem failure on the way (disk full, read-only
 * store, permission denied) fails the stage with the system's message and
 * leaves no record and no output under a real name.
 */
export async function executeStage(cache: CacheSession, executors: Executors, options: ExecuteOptions): Promise<ExecutedStage> {
  const startedAt = new Date();
  try {
    return await executeUnguarded(cache, executors, options);
  } catch (error) {
    await removeOutputs(options.workspace.root, options.stage, cache.statCache).catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    return {
      result: {
        id: options.stage.id,
        status: "failed",
        key: options.key,
        durationMs: Date.now() - startedAt.getTime(),
        outs: {},
        decisions: [],
        failure: { reason: "io-error", message },
        logTail: undefined,
        why: [],
        warnings: [],
      },
      params: options.params,
      components: options.components,
      startedAt: startedAt.toISOString(),
      metrics: undefined,
    };
  }
}

async function executeUnguarded(cache: CacheSession, executors: Executors, options: ExecuteOptions): Promise<ExecutedStage> {
  const { stage, workspace } = options;
  const startedAt = new Date();
  const log: string[] = [];
  const onOutput = (text: string) => {
    log.push(text);
    options.onLog(text);
  };
  const decisions: StageDecision[] = [];
  const warnings: string[] = [];
  let held = false;
  const done = (result: Omit<StageResult, "id" | "durationMs" | "why" | "warnings">, metrics?: Json): ExecutedStage => ({
    result: { ...result, id: stage.id, durationMs: Date.now() - startedAt.getTime(), why: [], warnings },
    params: options.params,
    components: options.components,
    startedAt: startedAt.toISOString(),
    metrics,
  });
  const fail = async (reason: FailureReason, message: string): Promise<ExecutedStage> => {
    await removeOutputs(workspace.root, stage, cache.statCache);
    const tail = log.join("").trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
    return done({ status: "failed", key: options.key, outs: {}, decisions, failure: { reason, message }, logTail: tail || undefined });
  };

  const shadow = executors.shadows.acquire(workspace.root, stage, stage.action.kind === "cmd");
  if (stage.action.kind === "cmd") writeParamsOverlays(shadow, stage, options.params);
  let strays: string[] | undefined;
  try {
    return await runInShadow(shadow);
  } finally {
    executors.shadows.release(shadow, stage, strays);
  }

  async function runInShadow(shadow: Shadow): Promise<ExecutedStage> {
  const tempOuts = tempOutPaths(stage, shadow.root);
  if (stage.action.kind === "cmd") {
    const command = await expandCommand(stage, stage.action.cmd, options, shadow, tempOuts);
    const outcome = await executors.shells.run({
      command,
      cwd: shadow.cwd,
      env: { SLUICE_STAGE: stage.id, SLUICE_WORKSPACE: workspace.root },
      signal: options.signal,
      onOutput,
    });
    options.onActionEnd?.();
    if (options.signal.aborted) return fail("interrupted", INTERRUPTED);
    if (outcome.spawnError) return fail("exit-non-zero", `could not start /bin/sh: ${outcome.spawnError}`);
    if (outcome.exitCode !== 0) {
      return fail("exit-non-zero", outcome.signal ? `killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`);
    }
    strays = strayFiles(shadow, stage);
    if (strays.length > 0) {
      const many = strays.length > 1;
      const message = `wrote undeclared output${many ? "s" : ""} ${strays.join(", ")} (declare ${many ? "them" : "it"} in outs, or it is lost)`;
      if (options.strict) return fail("undeclared-output", message);
      warnings.push(message);
    }
  } else {
    const deps: Record<string, WorkerDep> = {};
    for (const dep of stage.deps) {
      if (dep.kind === "external") deps[dep.name] = { kind: "value", value: await options.depValue(dep.name) };
      else if (dep.kind === "output" && dep.outKind === "json") {
        deps[dep.name] = { kind: "json", path: join(workspace.root, dep.path), from: `${dep.stage}.${dep.out}` };
      } else deps[dep.name] = { kind: "path", path: join(workspace.root, dep.path) };
    }
    const outcome = await executors.workers.run(
      {
        id: stage.id,
        projectFile: stage.moduleFile,
        projectName: stage.project,
        stageName: stage.name,
        projectDir: stage.projectDir,
        workspaceRoot: workspace.root,
        params: options.params,
        deps,
        outs: tempOuts,
        upstreamKeys: options.upstreamKeys(),
      },
      onOutput,
      options.signal,
    );
    options.onActionEnd?.();
    if (!outcome.ok) return fail(outcome.reason, outcome.message);
    for (const entry of outcome.decisions) {
      decisions.push(entry.decision);
      held ||= entry.held;
    }
  }

  let metrics: Json | undefined;
  for (const out of stage.outs) {
    if (out.kind !== "json" || !out.schema) continue;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(tempOuts[out.name] as string, "utf8"));
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      return fail(missing ? "missing-output" : "contract-violation", missing
        ? `did not write json output "${out.name}" (${out.path})`
        : `json output "${out.name}" (${out.path}) is not valid JSON`);
    }
    const checked = out.schema.safeParse(value);
    if (!checked.success) {
      return fail("contract-violation", `json output "${out.name}" (${out.path}) breaks its contract: ${contractMessage(checked.error)}`);
    }
    if (out.name === "metrics") metrics = value as Json;
  }

  const declaredMetrics = readRunMetrics(stage, shadow.root);
  if (!declaredMetrics.ok) return fail(declaredMetrics.missing ? "missing-output" : "contract-violation", declaredMetrics.message);
  metrics ??= declaredMetrics.metrics;

  const changed = await changedDep(cache, stage, options.depDigests);
  if (changed) {
    return fail("input-changed", `input "${changed.name}" (${changed.path}) changed while the stage ran; nothing was cached, run again`);
  }

  const stored = await storeOutputs(stage, tempOuts, options.scratch ? undefined : cache.store).catch((error: Error) => ({
    ok: false as const,
    failure: { reason: "store-failed" as const, message: `could not store outputs: ${error.message}` },
  }));
  if (!stored.ok) return fail(stored.failure.reason, stored.failure.message);
  if (options.scratch) {
    return done({ status: "ran", key: options.key, outs: stored.outs, decisions, failure: undefined, logTail: undefined }, metrics);
  }
  const logDigest = await cache.store.putBytes(Buffer.from(log.join(""), "utf8"));
  await placeOutputs(workspace.root, stage, tempOuts, stored.outs, cache.store, cache.statCache);
  const record: RunRecord = {
    version: 1,
    key: options.key,
    stage: stage.id,
    components: options.components,
    outs: stored.outs,
    log: logDigest,
    durationMs: Date.now() - startedAt.getTime(),
    createdAt: new Date().toISOString(),
    held,
    decisions,
    metrics,
  };
  await cache.records.put(record);
  await cache.remote?.publish(record, cache, options.onWarning);
  return done({ status: held ? "held" : "ran", key: options.key, outs: stored.outs as Record<string, RecordedOut>, decisions, failure: undefined, logTail: undefined }, metrics);
  }
}

/** Substitutes `{deps.x}`, `{outs.y}`, `{params.z}` with shell-quoted values. */
async function expandCommand(
  stage: Stage,
  cmd: string,
  options: ExecuteOptions,
  shadow: Shadow,
  tempOuts: Readonly<Record<string, string>>,
): Promise<string> {
  // Paths are relative to the command's working directory: short in logs, and inside the shadow.
  const local = (path: string) => relative(shadow.cwd, path) || ".";
  const values = new Map<string, string>();
  for (const dep of stage.deps) {
    values.set(
      `deps.${dep.name}`,
      dep.kind === "external" ? JSON.stringify(await options.depValue(dep.name)) : local(join(shadow.root, dep.path)),
    );
  }
  for (const out of stage.outs) values.set(`outs.${out.name}`, local(tempOuts[out.name] as string));
  for (const [name, value] of Object.entries(options.params)) {
    values.set(`params.${name}`, typeof value === "string" ? value : JSON.stringify(value));
  }
  return cmd.replace(/\{((?:deps|outs|params)\.[A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : shellQuote(value);
  });
}

/**
 * The first file dep whose bytes are no longer those its digest in the key
 * names, if any. A record must bind its key to outputs made from exactly
 * those bytes, so every dep that went into the key, source or upstream
 * output, is confirmed once the action has ended: by the stat cache's full
 * stat comparison where the stats prove the file untouched since it was
 * hashed, by hashing it again where they cannot (a file written moments
 * ago, or whose ctime moved because the shadow linked it).
 */
async function changedDep(
  cache: CacheSession,
  stage: Stage,
  depDigests: ReadonlyMap<string, Digest>,
): Promise<{ name: string; path: string } | undefined> {
  for (const dep of stage.deps) {
    const keyed = depDigests.get(dep.name);
    if (dep.kind === "external" || keyed === undefined) continue;
    if ((await cache.statCache.digest(dep.path)) !== keyed) return dep;
  }
  return undefined;
}
