/**
 * The release manifest: the full tuple that was validated together (data,
 * features, model, action policy, monitor policy, gates, evaluation) and
 * its lineage. Restoring a release restores all of it, so no one has to
 * ask which threshold or feature transform happened to be live.
 */
import { z } from "zod";
import { GateResult } from "./gate-result.js";
import { DigestString, JsonValue, Name, ReleaseName, Timestamp } from "./json-value.js";
import { MonitorPolicy } from "./monitor-policy.js";

/**
 * The action policy a model is served with: numeric thresholds (warning
 * threshold, review threshold) and any other rule (slate size, eligibility).
 * Training or evaluation stages write it; it travels with the model.
 */
export const ActionPolicy = z
  // Loose: a project's policy may carry more (its id, how the threshold was chosen); all of it is kept.
  .looseObject({
    thresholds: z.record(z.string(), z.number()),
    rules: z.record(z.string(), JsonValue).optional(),
  })
  .meta({ id: "ActionPolicy" });
export type ActionPolicy = z.output<typeof ActionPolicy>;

/** What an evaluation report must at least carry: the metrics the champion rule reads. */
export const EvaluationReport = z
  .looseObject({ metrics: z.record(z.string(), z.number()) })
  .meta({ id: "EvaluationReport" });
export type EvaluationReport = z.output<typeof EvaluationReport>;

/** Why a candidate was built (continuous training records its trigger). */
export const Trigger = z
  .strictObject({ kind: z.enum(["manual", "schedule", "drift"]), cause: z.string() })
  .meta({ id: "Trigger" });
export type Trigger = z.output<typeof Trigger>;

/** The release manifest. Immutable once registered. */
export const ReleaseManifest = z
  .strictObject({
    schemaVersion: z.literal(1),
    project: Name,
    release: ReleaseName,
    data: z.strictObject({ id: z.string().min(1).describe("data snapshot id (events_2026_05)"), digest: DigestString }),
    features: z.strictObject({ version: z.string().min(1).describe("feature version (eta_features_v1)"), digest: DigestString }),
    model: z.strictObject({ id: z.string().min(1).describe("model artifact id (delay_model)"), digest: DigestString }),
    actionPolicy: z.strictObject({
      id: z.string().min(1).describe("action policy id (warning_v1)"),
      digest: DigestString,
      thresholds: z.record(z.string(), z.number()),
      rules: z.record(z.string(), JsonValue),
    }),
    monitorPolicy: z.strictObject({ id: Name, digest: DigestString, criteria: MonitorPolicy }),
    gates: z.array(GateResult).describe("every gate the promotion saw, sorted by name"),
    evaluation: z.strictObject({
      reportDigest: DigestString,
      metrics: z.record(z.string(), z.number()).describe("what the next challenger is compared with"),
    }),
    lineage: z.strictObject({
      stageKeys: z.record(z.string(), z.string()).describe("stage id -> stage key of every upstream stage"),
      pipelineCommit: z.string().nullable().describe("git commit of the workspace, null outside git"),
      createdBy: z.string().min(1),
      createdAt: Timestamp,
      trigger: Trigger.nullable(),
    }),
  })
  .meta({ id: "ReleaseManifest", title: "sluice release manifest" });
export type ReleaseManifest = z.output<typeof ReleaseManifest>;
