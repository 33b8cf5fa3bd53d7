/**
 * The ranking project's params: one JSON file (`params.json`) holding every
 * stage's knobs, so a story step is a file edit (`cp story/v2.json
 * params.json`) and a param change reruns exactly the stages that read it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const positive = z.number().positive();

/** Contract of `params.json`. */
export const RankingParamsSchema = z.object({
  snapshot: z.object({
    seed: z.number().int(),
    listings: z.number().int().positive(),
    queries: z.number().int().positive(),
    /** `YYYY-MM-DD`: queries asked strictly before this day starts. */
    cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** Days of query history before the cutoff. */
    historyDays: z.number().int().positive(),
    /** Hours before the cutoff at which the query log export stopped (stale when large). */
    feedDelayHours: z.number().nonnegative(),
    /** Share of listings blocked by trust & safety. */
    blockedRate: z.number().min(0).max(1),
    /** Candidates retrieval returns per query, drawn uniformly in [poolMin, poolMax]. */
    poolMin: z.number().int().positive(),
    poolMax: z.number().int().positive(),
  }),
  features: z.object({
    validShare: z.number().gt(0).lt(1),
    testShare: z.number().gt(0).lt(1),
    version: z.enum(["ranking_features_v1", "ranking_features_v2"]),
  }),
  validate: z.object({
    /** Newest query may be at most this many hours before the cutoff. */
    maxLagHours: positive,
    /** Fewest eligible candidates any query may have. */
    minCandidates: z.number().int(),
    /** Judged queries overall and per split. */
    minQueries: z.number().int(),
    minPerSplit: z.number().int(),
  }),
  train: z.object({
    learningRate: positive,
    epochs: z.number().int().positive(),
    l2: z.number().nonnegative(),
    maxPairsPerQuery: z.number().int().positive(),
    seed: z.number().int(),
  }),
  /** The slate rule released with the model (the train stage writes it into the action policy). */
  policy: z.object({
    topK: z.number().int().positive(),
    maxPerBrand: z.number().int().positive(),
    /** Eligible candidates the model re-scores per query (the latency knob). */
    rerankDepth: z.number().int().nonnegative(),
  }),
  evaluate: z.object({
    /** Budget for p99 modelled scoring latency, ms. */
    latencyBudgetMs: positive,
    overheadMs: z.number().nonnegative(),
    perCandidateMs: z.number().nonnegative(),
    perFeatureMs: z.number().nonnegative(),
  }),
});
export type RankingParams = z.infer<typeof RankingParamsSchema>;

/** Reads and checks a params file (default: `params.json` beside this module). */
export function loadRankingParams(path: string | URL = new URL("./params.json", import.meta.url)): RankingParams {
  return RankingParamsSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}
