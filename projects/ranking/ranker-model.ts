/**
 * The `ranker` model file: a linear scorer over standardised
 * `ranking_features_v1/v2`, trained with a pairwise loss. Train writes it;
 * evaluate and any scorer read it back through this schema, so both agree
 * on feature order and standardisation.
 */
import { z } from "zod";
import type { CsvTable } from "../../stages/lib/csv.js";
import { scoreLinear } from "../../stages/lib/pairwise-ranker.js";
import { standardize } from "../../stages/lib/standardizer.js";

/** Contract of `model/ranker.json`. */
export const RankerModelSchema = z.object({
  model_id: z.literal("ranker"),
  feature_version: z.string(),
  features: z.array(z.string()),
  standardizer: z.object({ means: z.array(z.number()), scales: z.array(z.number()) }),
  weights: z.array(z.number()),
  /** Preference pairs the loss was computed over. */
  pairs: z.number().int().nonnegative(),
  loss_curve: z.array(z.number()),
  hyperparameters: z.record(z.string(), z.number()),
});
export type RankerModel = z.infer<typeof RankerModelSchema>;

/** The numeric model inputs of feature rows, in the model's order. */
export function rankingMatrix(rows: CsvTable["rows"], features: readonly string[]): number[][] {
  return rows.map((r) => features.map((f) => Number(r[f])));
}

/** Model scores of feature rows (higher ranks first). */
export function scoreCandidates(model: RankerModel, rows: CsvTable["rows"]): number[] {
  const x = standardize(model.standardizer, rankingMatrix(rows, model.features));
  return x.map((row) => scoreLinear(model.weights, row));
}
