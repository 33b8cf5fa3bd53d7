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
    /** Shipments to simulate (those delivered after the cutoff are dropped). */
    shipments: z.number().int().positive(),
    /** `YYYY-MM-DD`: the snapshot holds events strictly before this day starts. */
    cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** Days of history before the cutoff. */
    historyDays: z.number().int().positive(),
    /** Hours before the cutoff at which the scan feed stopped (a stale feed when large). */
    feedDelayHours: z.number().nonnegative(),
  }),
  features: z.object({
    /** Hours after pickup when the warning decision is made. */
    predictionHours: z.number().positive(),
    /** Shares of shipments (by pickup time) in the valid and test splits. */
    validShare: z.number().gt(0).lt(1),
    testShare: z.number().gt(0).lt(1),
    /** `eta_features_v2` adds the next-day weather forecast of the route. */
    version: z.enum(["eta_features_v1", "eta_features_v2"]),
  }),
  validate: z.object({
    /** Newest scan may be at most this many hours before the cutoff. */
    maxLagHours: z.number().positive(),
    minRows: z.number().int(),
    minPerSplit: z.number().int(),
  }),
  train: z.object({
    learningRate: z.number().positive(),
    epochs: z.number().int().positive(),
    l2: z.number().nonnegative(),
    /** Cost of a late delivery without a warning. */
    missedCost: z.number().positive(),
    /** Cost of a warning for a delivery that arrives on time. */
    falseAlarmCost: z.number().positive(),
  }),
  evaluate: z.object({
    /** Minimum recall of late deliveries on critical lanes. */
    criticalRecallMin: z.number().min(0).max(1),
    /** Business costs used to score (fixed across releases so costs compare). */
    missedCost: z.number().positive(),
    falseAlarmCost: z.number().positive(),
  }),
});
export type EtaParams = z.infer<typeof EtaParamsSchema>;

/** Reads and checks a params file (default: `params.json` beside this module). */
export function loadEtaParams(path: string | URL = new URL("./params.json", import.meta.url)): EtaParams {
  return EtaParamsSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}
