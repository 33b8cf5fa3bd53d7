/**
 * `eta:train`: fits the delay model on the train split (refusing a snapshot
 * whose validation failed), then chooses the warning threshold on the valid
 * split by expected cost: a missed late delivery costs `missedCost`, a
 * needless warning `falseAlarmCost`. Writes the model file; returns the action
 * policy and the training summary.
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { gatesAmong, requirePassed } from "../../stages/lib/gate.js";
import { fitLogistic } from "../../stages/lib/logistic-regression.js";
import { round, roundDeep } from "../../stages/lib/numbers.js";
import type { ActionPolicy, TrainingSummary } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { EtaStages } from "./pipeline.js";
import { finishTraining } from "../../stages/lib/finish-training.js";
import { fitStandardizer, standardize } from "../../stages/lib/standardizer.js";
import { cheapestThreshold } from "../../stages/lib/threshold-search.js";
import { featureMatrix, scoreDelay, type DelayModel } from "./delay-model.js";
import { modelFeatures, versionOfColumns } from "./schema.js";

/** Params of `eta:train`. */
export type EtaTrainParams = StageContextOf<EtaStages["train"]>["params"];

/** Stage function. */
export function trainDelayModel(ctx: StageContextOf<EtaStages["train"]>): { policy: ActionPolicy; training: TrainingSummary } {
  requirePassed(gatesAmong(ctx.deps));
  const text = readFileSync(ctx.deps.table, "utf8");
  const { model, policy } = fitDelayModel(text, ctx.params);
  const rows = parseCsv(text).rows.filter((r) => r["split"] === "train").length;
  return finishTraining(ctx, { name: "delay_model", model, policy, rows, note: `; warning threshold ${policy.thresholds["warning"]}` });
}

/** Pure training: feature CSV text in, model and policy out. */
export function fitDelayModel(featuresCsv: string, params: EtaTrainParams): { model: DelayModel; policy: ActionPolicy } {
  const table = parseCsv(featuresCsv);
  const rows = table.rows;
  const version = versionOfColumns(table.columns);
  const features = modelFeatures(version);
  const train = rows.filter((r) => r["split"] === "train");
  const valid = rows.filter((r) => r["split"] === "valid");
  const rawX = featureMatrix(train, features);
  const standardizer = fitStandardizer(rawX);
  const fit = fitLogistic(standardize(standardizer, rawX), train.map((r) => Number(r["late"])), {
    learningRate: params.learningRate,
    epochs: params.epochs,
    l2: params.l2,
  });
  const model: DelayModel = roundDeep(
    {
      model_id: "delay_model" as const,
      feature_version: version,
      features: [...features],
      standardizer,
      weights: fit.weights,
      bias: fit.bias,
      loss_curve: fit.lossCurve,
      hyperparameters: { learningRate: params.learningRate, epochs: params.epochs, l2: params.l2 },
    },
    8,
  );
  const costs = { missed: params.missedCost, falseAlarm: params.falseAlarmCost };
  const chosen = cheapestThreshold(valid.map((r) => Number(r["late"])), scoreDelay(model, valid), costs);
  const policy: ActionPolicy = {
    id: "warning_v1",
    kind: "warning_threshold",
    thresholds: { warning: chosen.threshold },
    rules: { warn_when: "p_late >= warning", decided_at_hours_after_pickup: 12, costs: { missed: costs.missed, false_alarm: costs.falseAlarm } },
    chosen_by: `lowest expected cost on the valid split (${valid.length} shipments): ${round(chosen.cost, 4)} per shipment`,
  };
  return { model, policy };
}
