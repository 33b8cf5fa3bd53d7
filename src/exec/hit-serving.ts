/**
 * Serving cache hits. A stage whose key has a run record is looked up
 * locally first, then in the shared remote cache (builds only: a plan never
 * downloads), and its own `confirmHit` check may still distrust it. A build
 * serves the hit by making the workspace hold the recorded outputs; a plan
 * only previews whether it would have to restore any.
 */
import type { CacheSession, RecordedHit, StageKey } from "../cache/index.js";
import type { Stage } from "../pipeline/index.js";
import type { BuildObserver, DifferingOutput, StageResult } from "./events.js";
import { emptyLogDigest, restoreOutputs, type RestoreProblem } from "./outputs.js";
import { plainResult } from "./stage-results.js";

/** Where a hit may come from. */
export interface HitLookup {
  readonly cache: CacheSession;
  readonly workspaceRoot: string;
  /** Ask the remote cache on a local miss (false when planning). */
  readonly remote: boolean;
  readonly observer: BuildObserver;
}

/** The run record serving `key`, or undefined on a miss (a distrusted or corrupt record is a miss, with a warning). */
export async function lookUpHit(lookup: HitLookup, stage: Stage, key: StageKey): Promise<RecordedHit | undefined> {
  const warn = (message: string) => lookup.observer.onWarning?.(`${stage.id}: ${message}`);
  const local = await lookup.cache.records.hit(key);
  if (local.problem) warn(`run record ${key} is corrupt (${local.problem.detail}); treating it as a miss`);
  const record = local.record ?? (lookup.remote ? await lookup.cache.remote?.fetch(key, stage.outs, lookup.cache, warn) : undefined);
  if (!record) return undefined;
  const distrust = stage.confirmHit ? await confirmHit(lookup.workspaceRoot, stage, record) : undefined;
  if (distrust === undefined) return record;
  warn(`not reusing the cached result: ${distrust}`);
  return undefined;
}

/** The stage's own check of a hit (see `StageDecl.confirmHit`); a check that throws distrusts the hit. */
async function confirmHit(workspaceRoot: string, stage: Stage, record: RecordedHit): Promise<string | undefined> {
  try {
    return (await stage.confirmHit?.({ workspaceRoot, decisions: record.decisions ?? [] })) ?? undefined;
  } catch (error) {
    return `its check failed (${(error as Error).message})`;
  }
}

/** A hit in a build: the workspace made to hold the record's outputs; undefined when the store cannot serve it. */
export async function serveHit(lookup: HitLookup, stage: Stage, key: StageKey, record: RecordedHit): Promise<StageResult | undefined> {
  const { cache, observer } = lookup;
  const outcome = await restoreOutputs(lookup.workspaceRoot, stage, record, cache.store, cache.statCache);
  if (!outcome.ok) {
    const { problem } = outcome;
    observer.onWarning?.(`${stage.id}: ${restoreProblemText(problem, key)}`);
    return undefined;
  }
  const why = outcome.overwritten.map((o) => `restored ${o.path} over ${o.fromRun ? "the output of another run" : "a local edit"}`);
  await replayLog(lookup, stage, record);
  return hitResult(stage, key, record, outcome.restored, why);
}

/** Why a hit could not be served, in the words of a warning. */
function restoreProblemText(problem: RestoreProblem, key: StageKey): string {
  switch (problem.reason) {
    case "unusable-record":
      return `not reusing the cached result ${key}: ${problem.detail}; rebuilding`;
    case "uncached-output":
      return `${problem.path} is not kept in the cache (cache: false) and the workspace no longer holds the recorded bytes; running again`;
    case "missing-object":
    case "corrupt-object":
      return `stored object ${problem.digest} is ${problem.reason === "missing-object" ? "missing" : "corrupt"}; rebuilding`;
  }
}

/** A hit in a plan: which outputs a build would restore, touching nothing. */
export async function previewHit(lookup: HitLookup, stage: Stage, key: StageKey, record: RecordedHit): Promise<StageResult> {
  const differing: DifferingOutput[] = [];
  for (const out of stage.outs) {
    const present = await lookup.cache.statCache.digest(out.path);
    if (present === record.outs[out.name]?.digest) continue;
    if (!out.cached) return plainResult(stage.id, "would-run", key, [`${out.path} is not kept in the cache (cache: false) and is ${present === undefined ? "missing" : "modified"}`]);
    differing.push({ path: out.path, state: present === undefined ? "missing" : "modified" });
  }
  if (differing.length > 0) {
    const stale = differing.map((d) => `${d.path} (${d.state})`);
    return { ...plainResult(stage.id, "restored", key, [`would restore ${stale.join(", ")}`]), outs: record.outs, differing };
  }
  await replayLog(lookup, stage, record);
  return hitResult(stage, key, record, false, []);
}

function hitResult(stage: Stage, key: StageKey, record: RecordedHit, restored: boolean, why: readonly string[]): StageResult {
  return {
    ...plainResult(stage.id, record.held ? "held" : restored ? "restored" : "cached", key, why),
    outs: record.outs,
    decisions: record.decisions,
  };
}

/** Hands the log the stage printed when it ran to the observer, marked as a replay. */
async function replayLog(lookup: HitLookup, stage: Stage, record: RecordedHit): Promise<void> {
  if (record.log === emptyLogDigest() || !lookup.observer.onLog) return;
  const log = await lookup.cache.store.readVerified(record.log);
  if (log.ok) lookup.observer.onLog(stage.id, log.bytes.toString("utf8"), true);
}
