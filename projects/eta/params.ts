/**
 * The ETA project's params: one JSON file (`params.json`) holding every
 * stage's knobs, so a story step is a file edit (`cp story/v2.json
 * params.json`) and a param change reruns exactly the stages that read it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** Contract of `params.json`. */
export const EtaParamsSchema = z.object({
  snapshot: z.object({
    seed: z.number().int(),
    shipments: z.number().int().positive(),
    cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    historyDays: z.number().int().positive(),
    feedDelayHours: z.number().nonnegative(),
  }),
  features: z.object({
    predictionHours: z.number().positive(),
    validShare: z.number().gt(0).lt(1),
    testShare: z.number().gt(0).lt(1),
    version: z.enum(["eta_features_v1", "eta_features_v2"]),
  }),
  validate: z.object({ maxLagHours: z.number().positive(), minRows: z.number().int(), minPerSplit: z.number().int() }),
  train: z.object({
    learningRate: z.number().positive(),
    epochs: z.number().int().positive(),
    l2: z.number().nonnegative(),
    missedCost: z.number().positive(),
    falseAlarmCost: z.number().positive(),
  }),
  evaluate: z.object({
    criticalRecallMin: z.number().min(0).max(1),
    missedCost: z.number().positive(),
    falseAlarmCost: z.number().positive(),
  }),
});
export type EtaParams = z.infer<typeof EtaParamsSchema>;

/** Reads and checks a params file (default: `params.json` beside this module). */
export function loadEtaParams(path: string | URL = new URL("./params.json", import.meta.url)): EtaParams {
  return EtaParamsSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}
