/**
 * The vision project's params: one JSON file (`params.json`) holding every
 * stage's knobs, so a story step is a file edit (`cp story/v2.json
 * params.json`) and a param change reruns exactly the stages that read it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const share = z.number().gt(0).lt(1);

/** Contract of `params.json`. */
export const VisionParamsSchema = z.object({
  snapshot: z.object({
    seed: z.number().int(),
    shipments: z.number().int().positive(),
    cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    historyDays: z.number().int().positive(),
    damageRate: share,
  }),
  /** The quality gate lives here: the features stage applies it and the train stage releases it in the policy. */
  features: z.object({
    splitSeed: z.number().int(),
    validShare: share,
    testShare: share,
    /** Quality gate: photos darker or softer than this are unusable. */
    minBrightness: z.number().nonnegative(),
    minSharpness: z.number().nonnegative(),
  }),
  validate: z.object({ maxLagHours: z.number().positive(), minUsableRate: z.number().min(0).max(1), minRows: z.number().int(), minPerSplit: z.number().int() }),
  train: z.object({
    filters: z.number().int().positive(),
    learningRate: z.number().positive(),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    seed: z.number().int(),
    /** Share of damaged parcels the review threshold must catch on the valid split. */
    targetRecall: z.number().gt(0).max(1),
  }),
  evaluate: z.object({ minSourceRecall: z.number().min(0).max(1) }),
});
export type VisionParams = z.infer<typeof VisionParamsSchema>;

/** Reads and checks a params file (default: `params.json` beside this module). */
export function loadVisionParams(path: string | URL = new URL("./params.json", import.meta.url)): VisionParams {
  return VisionParamsSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}
