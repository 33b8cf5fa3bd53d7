/**
 * `forecast:train`: ridge regression on the train split's lag features
 * (after the validation gates passed). The action policy raises a capacity
 * alert when a warehouse's forecast exceeds `alertRatio` of its capacity.
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { gatesAmong, requirePassed } from "../../stages/lib/gate.js";
import { roundDeep } from "../../stages/lib/numbers.js";
import { fitRidge } from "../../stages/lib/ridge-regression.js";
import type { ActionPolicy, TrainingSummary } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { ForecastStages } from "./pipeline.js";
import { finishTraining } from "../../stages/lib/finish-training.js";
import { fitStandardizer, standardize } from "../../stages/lib/standardizer.js";
import { lagMatrix, type DemandModel } from "./demand-model.js";
import { forecastFeatures, forecastVersionOf } from "./schema.js";
import { WAREHOUSES } from "./warehouses.js";

/** Params of `forecast:train`. */
export type DemandTrainParams = StageContextOf<ForecastStages["train"]>["params"];

/** Stage function. */
export function trainDemandModel(
  ctx: StageContextOf<ForecastStages["train"]>,
): { policy: ActionPolicy; training: TrainingSummary } {
  requirePassed(gatesAmong(ctx.deps));
  const { model, rows } = fitDemandModel(readFileSync(ctx.deps.table, "utf8"), ctx.params);
  return finishTraining(ctx, { name: "forecast", model, policy: demandPolicy(ctx.params.alertRatio), rows });
}

/** Pure training from the feature CSV text. */
export function fitDemandModel(featuresCsv: string, params: DemandTrainParams): { model: DemandModel; rows: number } {
  const table = parseCsv(featuresCsv);
  const version = forecastVersionOf(table.columns);
  const features = forecastFeatures(version);
  const train = table.rows.filter((r) => r["split"] === "train");
  const raw = lagMatrix(train, features);
  const standardizer = fitStandardizer(raw);
  const targetScale = 100;
  const fit = fitRidge(standardize(standardizer, raw), train.map((r) => Number(r["orders"]) / targetScale), params);
  const model: DemandModel = roundDeep(
    {
      model_id: "forecast" as const,
      feature_version: version,
      features: [...features],
      standardizer,
      target_scale: targetScale,
      weights: fit.weights,
      intercept: fit.intercept,
      loss_curve: fit.lossCurve,
      hyperparameters: { learningRate: params.learningRate, epochs: params.epochs, l2: params.l2 },
    },
    8,
  );
  return { model, rows: train.length };
}

/** The capacity-alert policy. */
export function demandPolicy(alertRatio: number): ActionPolicy {
  const thresholds: Record<string, number> = { alert_ratio: alertRatio };
  for (const w of WAREHOUSES) thresholds[`capacity_${w.warehouse}`] = w.capacity;
  return {
    id: "capacity_alert_v1",
    kind: "alert_threshold",
    thresholds,
    rules: { alert_when: "forecast >= alert_ratio * capacity", horizon_days: 7 },
    chosen_by: "operations: alert at this share of capacity, a week ahead",
  };
}
