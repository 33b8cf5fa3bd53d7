/**
 * The `delay_model` file: a standardised logistic regression over
 * `eta_features_v1`, plus its loss curve. Train writes it, evaluate and any
 * scorer read it back through this schema, so both agree on feature order.
 */
import { z } from "zod";
import type { CsvTable } from "../../stages/lib/csv.js";
import { predictLogistic } from "../../stages/lib/logistic-regression.js";
import { standardize } from "../../stages/lib/standardizer.js";


/** Contract of `model/delay_model.json`. */
export const DelayModelSchema = z.object({
  model_id: z.literal("delay_model"),
  feature_version: z.string(),
  features: z.array(z.string()),
  standardizer: z.object({ means: z.array(z.number()), scales: z.array(z.number()) }),
  weights: z.array(z.number()),
  bias: z.number(),
  loss_curve: z.array(z.number()),
  hyperparameters: z.record(z.string(), z.number()),
});
export type DelayModel = z.infer<typeof DelayModelSchema>;

/** The numeric model inputs of feature rows, in the model's feature order. */
export function featureMatrix(rows: CsvTable["rows"], features: readonly string[]): number[][] {
  return rows.map((r) => features.map((f) => Number(r[f])));
}

/** Late-delivery probabilities for feature rows. */
export function scoreDelay(model: DelayModel, rows: CsvTable["rows"]): number[] {
  const x = standardize({ means: model.standardizer.means, scales: model.standardizer.scales }, featureMatrix(rows, model.features));
  return x.map((row) => predictLogistic(model.weights, model.bias, row));
}
