/**
 * `ranking:train`: fits the linear ranker with a pairwise loss on the train
 * split's judged queries (refusing a snapshot whose validation failed), and
 * releases it with its slate policy (eligibility, rerank depth, top-k,
 * brand cap). Writes the model file; returns the policy and the training
 * summary, whose `chosen_by` records the policy's NDCG on the valid split.
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { gatesAmong, requirePassed } from "../../stages/lib/gate.js";
import { round, roundDeep } from "../../stages/lib/numbers.js";
import { fitPairwise, preferencePairs } from "../../stages/lib/pairwise-ranker.js";
import type { ActionPolicy, TrainingSummary } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { RankingStages } from "./pipeline.js";
import { finishTraining } from "../../stages/lib/finish-training.js";
import { fitStandardizer, standardize } from "../../stages/lib/standardizer.js";
import { meanNdcg, querySlates } from "./query-slates.js";
import { rankingMatrix, scoreCandidates, type RankerModel } from "./ranker-model.js";
import { rankingFeatures, rankingVersionOf } from "./schema.js";
import { slatePolicy } from "./slate-policy.js";

/** Params of `ranking:train`: the optimiser and the slate rule released with the model. */
export type RankerTrainParams = StageContextOf<RankingStages["train"]>["params"];

/** Stage function. */
export function trainRanker(ctx: StageContextOf<RankingStages["train"]>): { policy: ActionPolicy; training: TrainingSummary } {
  requirePassed(gatesAmong(ctx.deps));
  const { model, policy, trainRows } = fitRanker(readFileSync(ctx.deps.table, "utf8"), ctx.params);
  return finishTraining(ctx, { name: "ranker", model, policy, rows: trainRows, note: ` on ${model.pairs} pairs; ${policy.chosen_by}` });
}

/** Pure training: feature CSV text in, model and policy out. */
export function fitRanker(featuresCsv: string, params: RankerTrainParams): { model: RankerModel; policy: ActionPolicy; trainRows: number } {
  const table = parseCsv(featuresCsv);
  const version = rankingVersionOf(table.columns);
  const features = rankingFeatures(version);
  // Blocked listings never reach a slate, so their judgments would only teach the model about counterfeits.
  const train = table.rows.filter((r) => r["split"] === "train" && r["blocked"] !== "1");
  const raw = rankingMatrix(train, features);
  const standardizer = fitStandardizer(raw);
  const pairs = preferencePairs(train.map((r) => r["query_id"] ?? ""), train.map((r) => Number(r["relevance"])), params.maxPairsPerQuery, params.seed);
  const fit = fitPairwise(standardize(standardizer, raw), pairs, params);
  const model: RankerModel = roundDeep(
    {
      model_id: "ranker" as const,
      feature_version: version,
      features: [...features],
      standardizer,
      weights: fit.weights,
      pairs: fit.pairs,
      loss_curve: fit.lossCurve,
      hyperparameters: { learningRate: params.learningRate, epochs: params.epochs, l2: params.l2, maxPairsPerQuery: params.maxPairsPerQuery, seed: params.seed },
    },
    8,
  );
  const valid = table.rows.filter((r) => r["split"] === "valid");
  const rule = { topK: params.topK, maxPerBrand: params.maxPerBrand, rerankDepth: params.rerankDepth };
  const outcomes = querySlates(valid, scoreCandidates(model, valid), { ...rule, excludeBlocked: true });
  const policy = slatePolicy(rule, `operations: top ${params.topK}, at most ${params.maxPerBrand} per brand, rerank depth ${params.rerankDepth}; NDCG@10 on ${outcomes.length} valid queries ${round(meanNdcg(outcomes), 4)}`);
  return { model, policy, trainRows: train.length };
}
