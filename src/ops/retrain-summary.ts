/** What a retrain reports, apart from running it (which loads the registry). */
import type { SnapshotMove } from "./snapshot-param.js";

/** What the run decided for the candidate (from its `--json` document). */
export interface RetrainDecision {
  readonly release: string;
  readonly decision: string;
  readonly failed: readonly string[];
}

/** One line for people: where the snapshot moved and what became of the candidate. */
export function describeRetrain(snapshot: SnapshotMove, decision: RetrainDecision | null | undefined): string {
  const verdict = decision
    ? `${decision.release}: ${decision.decision}${decision.failed.length > 0 ? ` (${decision.failed.join(", ")})` : ""}`
    : "no promotion decision (the run failed before promote)";
  return `retrained on ${snapshot.param} ${snapshot.from} -> ${snapshot.to} (${snapshot.file}); ${verdict}`;
}
