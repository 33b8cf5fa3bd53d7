/**
 * `vision:train`: trains the damage CNN on usable train-split photos (after
 * the validation gates passed), then picks the review threshold on the valid
 * split: the highest score threshold that still sends `targetRecall` of
 * damaged parcels to a reviewer. The action policy also carries the quality
 * gate (unusable photos always go to review).
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { gatesAmong, requirePassed } from "../../stages/lib/gate.js";
import { confusion, recall } from "../../stages/lib/metrics.js";
import { round } from "../../stages/lib/numbers.js";
import type { ActionPolicy, TrainingSummary } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { VisionStages } from "./pipeline.js";
import { finishTraining } from "../../stages/lib/finish-training.js";
import type { PixelNorm } from "./build-photo-features.js";
import { encodeTensor, readPixels, type CnnModelFile } from "./cnn-model-file.js";
import { poolPatches, predictCnn, trainCnn } from "./damage-cnn.js";
import { PHOTO_FEATURE_VERSION } from "./schema.js";

/** Params of `vision:train`. */
export type CnnTrainParams = StageContextOf<VisionStages["train"]>["params"];

/** Stage function. */
export async function trainDamageCnn(ctx: StageContextOf<VisionStages["train"]>): Promise<{ policy: ActionPolicy; training: TrainingSummary }> {
  requirePassed(gatesAmong(ctx.deps));
  const rows = parseCsv(readFileSync(ctx.deps.table, "utf8")).rows;
  const { model, policy, trainRows } = await fitDamageCnn(rows, readPixels(ctx.deps.pixels), ctx.deps.norm, ctx.params);
  return finishTraining(ctx, { name: "damage_cnn", model, policy, rows: trainRows, note: `; review threshold ${policy.thresholds["review"]}` });
}

/** Training and threshold choice, from parsed rows and pixels. */
export async function fitDamageCnn(
  rows: readonly Record<string, string>[],
  pixels: Float32Array,
  norm: PixelNorm,
  params: CnnTrainParams,
): Promise<{ model: CnnModelFile; policy: ActionPolicy; trainRows: number }> {
  const patches = poolPatches(pixels, rows.length);
  const labels = rows.map((r) => Number(r["damaged"]));
  const pick = (split: string): number[] => rows.flatMap((r, i) => (r["split"] === split && r["usable"] === "1" ? [i] : []));
  const train = pick("train"), valid = pick("valid");
  const { weights, lossCurve } = await trainCnn(patches, labels, train, params);
  const scores = await predictCnn(weights, params.filters, patches, valid);
  const validLabels = valid.map((i) => labels[i] ?? 0);
  let review = 0.01;
  for (let k = 99; k >= 1; k--) {
    if (recall(confusion(validLabels, scores, k / 100)) >= params.targetRecall) {
      review = k / 100;
      break;
    }
  }
  const model: CnnModelFile = {
    model_id: "damage_cnn",
    feature_version: PHOTO_FEATURE_VERSION,
    filters: params.filters,
    norm,
    weights: {
      conv_w: encodeTensor(weights.conv_w),
      conv_b: encodeTensor(weights.conv_b),
      dense_w: encodeTensor(weights.dense_w),
      dense_b: encodeTensor(weights.dense_b),
    },
    loss_curve: lossCurve.map((l) => round(l, 6)),
    hyperparameters: { filters: params.filters, learningRate: params.learningRate, epochs: params.epochs, batchSize: params.batchSize, seed: params.seed },
  };
  const policy: ActionPolicy = {
    id: "damage_review_v1",
    kind: "quality_gate_and_review_threshold",
    thresholds: { review: review, min_brightness: params.minBrightness, min_sharpness: params.minSharpness },
    rules: { unusable_photo: "manual review", damage_score_at_least_review: "reviewer confirms damage", otherwise: "auto-accept return" },
    chosen_by: `highest threshold reaching recall ${params.targetRecall} on ${valid.length} usable valid photos`,
  };
  return { model, policy, trainRows: train.length };
}
