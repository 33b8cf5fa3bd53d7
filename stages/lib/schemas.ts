/**
 * The example projects' artifact shapes. The action policy, training summary
 * and evaluation report are release contracts (`sluice/contracts`), named
 * here as the example stages use them; only the snapshot evidence, which no
 * release reads, is defined here.
 */
import { z } from "zod";
import type { DescribedActionPolicy, SlicedEvaluationReport } from "sluice/contracts";

export type { TrainingSummary } from "sluice/contracts";

/** The action policy the example projects release: thresholds, rules, its id and why its numbers. */
export type ActionPolicy = DescribedActionPolicy;

/** The evaluation report the example projects write: metrics overall and per slice, calibration, champion, gates. */
export type EvaluationReport = SlicedEvaluationReport;

/** What a snapshot stage says about the data it wrote (its `evidence` json output). */
export const SnapshotEvidenceSchema = z.object({
  /** The cutoff the snapshot was taken at. */
  cutoff: z.string(),
  /** Newest event timestamp in the snapshot. */
  latest_event: z.string(),
  /** Row count per file. */
  rows: z.record(z.string(), z.number().int().nonnegative()),
  /** sha256 prefix per file. */
  digests: z.record(z.string(), z.string()),
  /** A few headline figures (late rate, blocked share, …). */
  summary: z.record(z.string(), z.number()),
});
export type SnapshotEvidence = z.infer<typeof SnapshotEvidenceSchema>;
