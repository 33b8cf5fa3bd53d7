/**
 * Contracts of the JSON artifacts the shared stages write besides gates: the
 * action policy (part of the release tuple), the training summary and the
 * evaluation report. Loose where projects differ (slice names, policy rules),
 * strict where the registry and monitor read (ids, flat metrics, thresholds).
 */
import { z } from "zod";
import { GateSchema } from "./gate.js";

/** A metric value in a report; null where a slice has nothing to measure. */
const MetricValue = z.number().nullable();

/**
 * The action policy released with a model: what the product does with a
 * score. `thresholds` are the numbers a rollback must restore.
 */
export const ActionPolicySchema = z.object({
  /** `warning_v1`, `slate_v1`, … */
  id: z.string(),
  /** What kind of action the policy drives (`warning_threshold`, `slate_rule`, …). */
  kind: z.string(),
  thresholds: z.record(z.string(), z.number()),
  /** Project-specific rules (eligibility, diversity cap, review routing). */
  rules: z.record(z.string(), z.json()),
  /** Why these numbers (how the threshold was chosen). */
  chosen_by: z.string(),
});
export type ActionPolicy = z.infer<typeof ActionPolicySchema>;

/** What training reports about itself: the loss curve proves it learned. */
export const TrainingSummarySchema = z.object({
  model_id: z.string(),
  feature_version: z.string(),
  rows: z.number().int().nonnegative(),
  epochs: z.number().int().nonnegative(),
  /** Training loss per recorded step, first to last. */
  loss_curve: z.array(z.number()),
  initial_loss: z.number(),
  final_loss: z.number(),
  /** sha256 prefix of the model file bytes. */
  model_digest: z.string(),
  hyperparameters: z.record(z.string(), z.json()),
});
export type TrainingSummary = z.infer<typeof TrainingSummarySchema>;

/**
 * Histogram of scores or a key feature on the test split, for PSI in
 * monitoring; the shape of a live window's distribution (`Distribution`).
 */
export const ReferenceDistributionSchema = z.object({
  /** Bucket bounds, lowest to highest; bucket i is [edges[i], edges[i+1]). */
  edges: z.array(z.number()).min(2),
  /** Rows per bucket (edges.length - 1 values). */
  counts: z.array(z.number().int().nonnegative()),
});

/** The evaluation report: metrics overall and per slice, champion comparison, gates. */
export const EvaluationReportSchema = z.object({
  project: z.string(),
  model_id: z.string(),
  feature_version: z.string(),
  policy_id: z.string(),
  /** The metric the champion comparison uses. */
  primary_metric: z.string(),
  higher_is_better: z.boolean(),
  /** Flat metrics of the test split: what the registry records for the next comparison. */
  metrics: z.record(z.string(), z.number()),
  /** dimension -> slice value -> metric -> value. */
  slices: z.record(z.string(), z.record(z.string(), z.record(z.string(), MetricValue))),
  /** Reliability bins where the model outputs probabilities. */
  calibration: z
    .object({ ece: z.number(), bins: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number(), mean_prob: MetricValue, rate: MetricValue })) })
    .nullable(),
  champion: z.object({ release: z.string().nullable(), metrics: z.record(z.string(), z.number()) }).nullable(),
  reference: z.record(z.string(), ReferenceDistributionSchema),
  gates: z.array(GateSchema),
});
export type EvaluationReport = z.infer<typeof EvaluationReportSchema>;

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
