/**
 * The forecast project's params: one JSON file (`params.json`) holding every
 * stage's knobs, so a story step is a file edit (`cp story/v2.json
 * params.json`) and a param change reruns exactly the stages that read it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** Contract of `params.json`. */
export const ForecastParamsSchema = z.object({
  snapshot: z.object({
    seed: z.number().int(),
    /** `YYYY-MM-DD`; counts run up to the day before. */
    cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    historyDays: z.number().int().positive(),
    /** Relative noise of daily counts. */
    noise: z.number().nonnegative(),
    /** Newest days missing from the first warehouse's feed (0 = complete). */
    missingLastDays: z.number().int().nonnegative(),
  }),
  features: z.object({
    horizonDays: z.number().int().positive(),
    validDays: z.number().int().positive(),
    testDays: z.number().int().positive(),
    version: z.enum(["demand_lags_v1", "demand_lags_v2"]),
  }),
  validate: z.object({ minRows: z.number().int(), minPerSplit: z.number().int() }),
  train: z.object({
    learningRate: z.number().positive(),
    epochs: z.number().int().positive(),
    l2: z.number().nonnegative(),
    /** Alert when forecast >= alertRatio x capacity. */
    alertRatio: z.number().positive(),
  }),
  evaluate: z.object({
    /** Cost of one order a peak-day forecast missed. */
    underforecastCostPerOrder: z.number().positive(),
    /** Cap on mean peak underforecast cost per peak warehouse-day. */
    peakCostCap: z.number().positive(),
  }),
});
export type ForecastParams = z.infer<typeof ForecastParamsSchema>;

/** Reads and checks a params file (default: `params.json` beside this module). */
export function loadForecastParams(path: string | URL = new URL("./params.json", import.meta.url)): ForecastParams {
  return ForecastParamsSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}
