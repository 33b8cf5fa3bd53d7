/**
 * Executes one stage that missed the cache:
 *
 *   URL deps fetched -> shadow + temp outs (persisted ones seeded) -> action (a runner) -> undeclared files? -> contracts
 *     -> inputs unchanged? -> store objects -> place outputs -> write run record
 *
 * Any failure on the way removes the temp space and the stage's outputs,
 * and writes no record. A shell or a worker thread runs the action
 * (action-runner.ts); everything else here is the same for both.
 */
import type { CacheSession, Digest, RecordedOut, RunRecord } from "../cache/index.js";
import type { Stage, StageDecision } from "../pipeline/index.js";
import { INTERRUPTED, type StageFailure } from "./events.js";
import { checkJsonOutputs } from "./json-contracts.js";
import { readRunMetrics } from "./metrics-outputs.js";
import { writeParamsOverlays } from "./params-overlay.js";
import { placeOutputs, removeOutputs, seedPersistedOutputs, storeOutputs, tempOutPaths } from "./outputs.js";
import { strayFiles, type Shadow, type ShadowPool } from "./shadow.js";
import { StageAttempt, type ExecutedStage, type StageWork } from "./stage-attempt.js";
import { placeUrlDeps } from "./url-deps.js";
import type { ActionRunner } from "./action-runner.js";

/** What executing stages shares across one build. */
export interface ExecutionContext {
  readonly cache: CacheSession;
  readonly workspaceRoot: string;
  /** The shadow trees stages run in. */
  readonly shadows: ShadowPool;
  readonly runnerFor: (stage: Stage) => ActionRunner;
  readonly signal: AbortSignal;
}

/** How one execution treats what it produces. */
export interface ExecuteHooks {
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
  /**
   * Asked once the outputs are stored, before they are placed and the record
   * is written: why they must not be kept, or undefined. A cluster job asks
   * its scheduler, which marks a job cancelled before it signals the job's
   * processes in an order of its own: a command whose child died first may
   * still exit 0 before sluice hears of the stop.
   */
  readonly mayKeep?: () => Promise<string | undefined>;
}

/**
 * Executes a stage. A filesystem failure on the way (disk full, read-only
 * store, permission denied) fails the stage with the system's message and
 * leaves no record and no output under a real name.
 */
export async function executeStage(context: ExecutionContext, work: StageWork, hooks: ExecuteHooks): Promise<ExecutedStage> {
  const attempt = new StageAttempt(work, hooks.onLog);
  const { stage } = work;
  // Before the shadow links its deps: a URL dep must be in the workspace to be linked.
  const unfetched = await placeUrlDeps(context.cache, context.workspaceRoot, stage, context.signal).catch((error: Error) => ({
    reason: "io-error" as const,
    message: error.message,
  }));
  if (unfetched) return attempt.failed(unfetched.reason, unfetched.message);
  const shadow = context.shadows.acquire(context.workspaceRoot, stage, stage.action.kind === "cmd");
  const strays: { found?: string[] } = {};
  let executed: ExecutedStage;
  try {
    executed = await executeInShadow(context, work, hooks, attempt, shadow, strays);
  } catch (error) {
    executed = attempt.crashed(error instanceof Error ? error.message : String(error));
  } finally {
    context.shadows.release(shadow, stage, strays.found);
  }
  // A scratch run never wrote to the workspace: the outputs there are the hit's, and stay.
  if (!hooks.scratch && (executed.result.status === "failed" || executed.result.status === "interrupted")) {
    await removeOutputs(context.workspaceRoot, stage, context.cache.statCache).catch(() => undefined);
  }
  return executed;
}

async function executeInShadow(
  context: ExecutionContext,
  work: StageWork,
  hooks: ExecuteHooks,
  attempt: StageAttempt,
  shadow: Shadow,
  strays: { found?: string[] },
): Promise<ExecutedStage> {
  const { stage } = work;
  if (stage.action.kind === "cmd") writeParamsOverlays(shadow, stage, work.components.paramsWritten ?? {});
  const tempOuts = tempOutPaths(stage, shadow.root);
  seedPersistedOutputs(context.workspaceRoot, stage, tempOuts);
  const action = await context.runnerFor(stage).run({
    stage,
    workspaceRoot: context.workspaceRoot,
    params: work.params,
    shadow,
    tempOuts,
    upstreamKeys: work.upstreamKeys,
    depValue: work.depValue,
    signal: context.signal,
    onOutput: attempt.output,
  });
  hooks.onActionEnd?.();
  if (!action.ok) return attempt.failed(action.reason, action.message);
  // A stop that came as the action ended may have cut it short (a killed `sleep` inside a script
  // that then exits 0): what it wrote is not to be trusted, so nothing is kept.
  if (context.signal.aborted) return attempt.failed("interrupted", INTERRUPTED);
  const decisions = action.decisions.map((d) => d.decision);
  const held = action.decisions.some((d) => d.held);
  if (stage.action.kind === "cmd") {
    strays.found = strayFiles(shadow, stage);
    const undeclared = undeclaredOutputs(strays.found, hooks.strict, attempt.warnings);
    if (undeclared) return attempt.failed(undeclared.reason, undeclared.message, decisions);
  }
  const checked = await checkJsonOutputs(stage, tempOuts);
  if (!checked.ok) return attempt.failed(checked.failure.reason, checked.failure.message, decisions);
  const declaredMetrics = readRunMetrics(stage, shadow.root);
  if (!declaredMetrics.ok) return attempt.failed(declaredMetrics.missing ? "missing-output" : "contract-violation", declaredMetrics.message, decisions);
  const metrics = checked.metrics ?? declaredMetrics.metrics;
  const changed = await changedDep(context.cache, stage, work.depDigests);
  if (changed) {
    return attempt.failed("input-changed", `input "${changed.name}" (${changed.path}) changed while the stage ran; nothing was cached, run again`, decisions);
  }
  const stored = await storeOutputs(stage, tempOuts, hooks.scratch ? undefined : context.cache.store).catch((error: Error) => ({
    ok: false as const,
    failure: { reason: "store-failed" as const, message: `could not store outputs: ${error.message}` },
  }));
  if (!stored.ok) return attempt.failed(stored.failure.reason, stored.failure.message, decisions);
  if (hooks.scratch) return attempt.succeeded("ran", stored.outs, decisions, metrics);
  const vetoed = context.signal.aborted ? INTERRUPTED : await hooks.mayKeep?.();
  if (vetoed) return attempt.failed("interrupted", vetoed, decisions);
  await commitOutputs(context, work, hooks, { attempt, tempOuts, outs: stored.outs, decisions, held, metrics });
  return attempt.succeeded(held ? "held" : "ran", stored.outs, decisions, metrics);
}

/** Files a command wrote outside its outputs: a failure with `--strict`, else a warning (they are lost). */
function undeclaredOutputs(strays: readonly string[], strict: boolean, warnings: string[]): StageFailure | undefined {
  if (strays.length === 0) return undefined;
  const many = strays.length > 1;
  const message = `wrote undeclared output${many ? "s" : ""} ${strays.join(", ")} (declare ${many ? "them" : "it"} in outs, or it is lost)`;
  if (strict) return { reason: "undeclared-output", message };
  warnings.push(message);
  return undefined;
}

/** What a successful execution leaves behind once its objects are stored. */
interface Produced {
  readonly attempt: StageAttempt;
  readonly tempOuts: Readonly<Record<string, string>>;
  readonly outs: Record<string, RecordedOut>;
  readonly decisions: readonly StageDecision[];
  readonly held: boolean;
  readonly metrics: RunRecord["metrics"];
}

/** Places the stored outputs under their real names and writes (and publishes) the run record. */
async function commitOutputs(context: ExecutionContext, work: StageWork, hooks: ExecuteHooks, produced: Produced): Promise<void> {
  const { cache, workspaceRoot } = context;
  const logDigest = await cache.store.putBytes(Buffer.from(produced.attempt.log, "utf8"));
  await placeOutputs(workspaceRoot, work.stage, produced.tempOuts, produced.outs, cache.store, cache.statCache);
  const record: RunRecord = {
    version: 1,
    key: work.key,
    stage: work.stage.id,
    components: work.components,
    outs: produced.outs,
    log: logDigest,
    durationMs: Date.now() - produced.attempt.startedAt.getTime(),
    createdAt: new Date().toISOString(),
    held: produced.held,
    decisions: [...produced.decisions],
    metrics: produced.metrics,
  };
  await cache.records.put(record);
  await cache.remote?.publish(record, cache, hooks.onWarning);
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
