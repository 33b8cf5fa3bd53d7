/**
 * The `forecast` model file: ridge regression over standardised lag
 * features, predicting orders. Shared by train and evaluate.
 */
import { z } from "zod";
import type { CsvTable } from "../../stages/lib/csv.js";
import { predictLinear } from "../../stages/lib/ridge-regression.js";
import { standardize } from "../../stages/lib/standardizer.js";

/** Contract of `model/forecast.json`. */
export const DemandModelSchema = z.object({
  model_id: z.literal("forecast"),
  feature_version: z.string(),
  features: z.array(z.string()),
  standardizer: z.object({ means: z.array(z.number()), scales: z.array(z.number()) }),
  /** Targets are divided by this before fitting, so one learning rate suits every warehouse size. */
  target_scale: z.number().positive(),
  weights: z.array(z.number()),
  intercept: z.number(),
  loss_curve: z.array(z.number()),
  hyperparameters: z.record(z.string(), z.number()),
});
export type DemandModel = z.infer<typeof DemandModelSchema>;

/** The model inputs of feature rows, in the model's order. */
export function lagMatrix(rows: CsvTable["rows"], features: readonly string[]): number[][] {
  return rows.map((r) => features.map((f) => Number(r[f])));
}

/** Forecast orders for feature rows (never negative). */
export function forecastOrders(model: DemandModel, rows: CsvTable["rows"]): number[] {
  const x = standardize(model.standardizer, lagMatrix(rows, model.features));
  return x.map((row) => Math.max(0, predictLinear(model.weights, model.intercept, row) * model.target_scale));
}
