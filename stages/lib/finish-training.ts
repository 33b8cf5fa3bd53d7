/**
 * How every training stage ends: check that the loss went down, write the
 * trained weights (stable JSON, so the model digest is reproducible), log
 * the loss, and summarise the run for the `training` output.
 */
import { writeFileSync } from "node:fs";
import { shortDigest } from "./digest.js";
import { stableJson } from "./json-file.js";
import { assertLearned, sampleCurve } from "./loss-curve.js";
import type { ActionPolicy, TrainingSummary } from "./schemas.js";
import type { StageContext } from "./stage-context.js";

/** What every trained model carries. */
export interface TrainedModel {
  readonly model_id: string;
  readonly feature_version: string;
  readonly loss_curve: readonly number[];
}

export interface Trained {
  /** Short name for messages (`delay_model`). */
  readonly name: string;
  readonly model: TrainedModel;
  readonly policy: ActionPolicy;
  /** Rows the model was fitted on. */
  readonly rows: number;
  /** Appended to the log line (`; warning threshold 0.31`). */
  readonly note?: string;
}

export function finishTraining<P extends { readonly epochs: number }>(
  ctx: StageContext<unknown, P, "model">,
  trained: Trained,
): { policy: ActionPolicy; training: TrainingSummary } {
  const { model, name } = trained;
  const curve = model.loss_curve;
  assertLearned(curve, name);
  const bytes = stableJson(model);
  writeFileSync(ctx.outs.model, bytes);
  ctx.log(`${name}: loss ${curve[0]} -> ${curve[curve.length - 1]} over ${ctx.params.epochs} epochs${trained.note ?? ""}`);
  return {
    policy: trained.policy,
    training: {
      model_id: model.model_id,
      feature_version: model.feature_version,
      rows: trained.rows,
      epochs: ctx.params.epochs,
      loss_curve: sampleCurve(curve, 20),
      initial_loss: curve[0] ?? 0,
      final_loss: curve[curve.length - 1] ?? 0,
      model_digest: shortDigest(bytes),
      hyperparameters: { ...ctx.params },
    },
  };
}
