/**
 * Contracts of the artifacts a candidate's stages write besides gates:
 * the training summary, and the richer action policy and evaluation report
 * the example projects write. Each richer shape extends the release
 * contract's own (`ActionPolicy`, `EvaluationReport`), so what the registry
 * reads is written in one place.
 */
import { z } from "zod";
import { GateResult } from "./gate-result.js";
import { JsonValue } from "./json-value.js";
import { ActionPolicy, EvaluationReport } from "./release-manifest.js";

/** What training reports about itself: the loss curve proves it learned. */
export const TrainingSummary = z
  .object({
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
    hyperparameters: z.record(z.string(), JsonValue),
  })
  .meta({ id: "TrainingSummary" });
export type TrainingSummary = z.output<typeof TrainingSummary>;

/** An action policy that says which it is and why its numbers were chosen. */
export const DescribedActionPolicy = ActionPolicy.extend({
  /** `warning_v1`, `slate_v1`, … */
  id: z.string(),
  /** What kind of action the policy drives (`warning_threshold`, `slate_rule`, …). */
  kind: z.string(),
  /** Project-specific rules (eligibility, diversity cap, review routing). */
  rules: z.record(z.string(), JsonValue),
  /** Why these numbers (how the threshold was chosen). */
  chosen_by: z.string(),
}).meta({ id: "DescribedActionPolicy" });
export type DescribedActionPolicy = z.output<typeof DescribedActionPolicy>;

/** A metric value in a report; null where a slice has nothing to measure. */
const MetricValue = z.number().nullable();

/**
 * Histogram of scores or a key feature on the test split, for PSI in
 * monitoring; the shape of a live window's distribution.
 */
export const ReferenceDistribution = z.object({
  /** Bucket bounds, lowest to highest; bucket i is [edges[i], edges[i+1]). */
  edges: z.array(z.number()).min(2),
  /** Rows per bucket (edges.length - 1 values). */
  counts: z.array(z.number().int().nonnegative()),
});

/** An evaluation report with metrics per slice, calibration, the champion comparison and its gates. */
export const SlicedEvaluationReport = EvaluationReport.extend({
  project: z.string(),
  model_id: z.string(),
  feature_version: z.string(),
  policy_id: z.string(),
  /** The metric the champion comparison uses. */
  primary_metric: z.string(),
  higher_is_better: z.boolean(),
  /** dimension -> slice value -> metric -> value. */
  slices: z.record(z.string(), z.record(z.string(), z.record(z.string(), MetricValue))),
  /** Reliability bins where the model outputs probabilities. */
  calibration: z
    .object({ ece: z.number(), bins: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number(), mean_prob: MetricValue, rate: MetricValue })) })
    .nullable(),
  champion: z.object({ release: z.string().nullable(), metrics: z.record(z.string(), z.number()) }).nullable(),
  reference: z.record(z.string(), ReferenceDistribution),
  gates: z.array(GateResult),
}).meta({ id: "SlicedEvaluationReport" });
export type SlicedEvaluationReport = z.output<typeof SlicedEvaluationReport>;
