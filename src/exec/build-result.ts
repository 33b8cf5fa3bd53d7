/** What running or planning a build returns. */
import type { KeyComponents } from "../cache/index.js";
import type { StageId } from "../pipeline/index.js";
import type { StageResult } from "./events.js";
import type { ExecutedStage } from "./stage-attempt.js";

export interface BuildResult {
  readonly ok: boolean;
  readonly interrupted: boolean;
  /** In plan order. */
  readonly results: readonly StageResult[];
  /** Stages that executed, for the run history. */
  readonly executed: readonly ExecutedStage[];
  /** The key components of every stage whose key was computed (sluice.lock keeps them). */
  readonly components: ReadonlyMap<StageId, KeyComponents>;
}

/** A build is ok when no stage failed, was interrupted or skipped. */
export function buildResult(
  results: readonly StageResult[],
  signal: AbortSignal,
  executed: readonly ExecutedStage[],
  components: ReadonlyMap<StageId, KeyComponents>,
): BuildResult {
  const ok = results.every((r) => r.status !== "failed" && r.status !== "skipped" && r.status !== "interrupted");
  return { ok, interrupted: signal.aborted, results, executed, components };
}
