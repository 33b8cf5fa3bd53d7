/** Constructors of the stage results that carry no execution (plans, skips, early failures). */
import type { StageKey } from "../cache/index.js";
import type { StageId } from "../pipeline/index.js";
import type { FailureReason, StageResult } from "./events.js";

/** A result with a status and reasons, and nothing executed behind it. */
export function plainResult(id: StageId, status: StageResult["status"], key: StageKey | undefined, why: readonly string[]): StageResult {
  return { id, status, key, durationMs: 0, outs: {}, decisions: [], failure: undefined, logTail: undefined, why, warnings: [] };
}

/** A stage that did not start (an upstream failed, the run stopped). */
export function skippedResult(id: StageId, why: readonly string[]): StageResult {
  return plainResult(id, "skipped", undefined, why);
}

/** A stage that failed before its action could start (a missing input, an unreadable registry). */
export function failedResult(id: StageId, reason: FailureReason, message: string): StageResult {
  return { ...plainResult(id, "failed", undefined, []), failure: { reason, message } };
}
