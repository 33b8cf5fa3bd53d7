/**
 * `ranking:evaluate`: ranks the test split's queries with the trained model
 * under its released slate policy, then writes the evaluation report
 * (NDCG@10 overall, per category and per price intent; the retrieval-order
 * baseline; blocked exposure; modelled latency) and three gates:
 *
 * - `blocked_listings_zero`: no blocked listing in any slate (critical; the
 *   evidence also counts how many a policy without eligibility would show),
 * - `ndcg_improves`: the promotion policy's champion/challenger rule (NDCG@10
 *   beats the production champion by more than its margin, with zero
 *   blocked exposure as a guardrail),
 * - `latency_budget`: p99 modelled scoring latency within budget.
 */
import { readFileSync } from "node:fs";
import { championGate, type Champion } from "sluice/registry";
import { parseCsv, type CsvTable } from "../../stages/lib/csv.js";
import { countGate, thresholdGate, type Gate } from "../../stages/lib/gate.js";
import { readJsonFile } from "../../stages/lib/json-file.js";
import { cleanMetrics, finiteMetrics, histogram } from "../../stages/lib/report-helpers.js";
import type { ActionPolicy, EvaluationReport } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { RankingStages } from "./pipeline.js";
import { meanNdcg, querySlates, type QueryOutcome } from "./query-slates.js";
import { RankerModelSchema, scoreCandidates, type RankerModel } from "./ranker-model.js";
import { latencySummary, queryLatencyMs } from "./scoring-latency.js";
import { ruleOf } from "./slate-policy.js";

/** Params of `ranking:evaluate`. */
export type RankerEvaluateParams = StageContextOf<RankingStages["evaluate"]>["params"];

/** Report and gates. */
export interface RankerEvaluation {
  readonly report: EvaluationReport;
  readonly blocked_listings_zero: Gate;
  readonly ndcg_improves: Gate;
  readonly latency_budget: Gate;
}

/** Stage function. */
export function evaluateRanker(ctx: StageContextOf<RankingStages["evaluate"]>): RankerEvaluation {
  const model = RankerModelSchema.parse(readJsonFile(ctx.deps.model));
  const result = judgeRanker(parseCsv(readFileSync(ctx.deps.table, "utf8")), model, ctx.deps.policy, ctx.deps.champion, ctx.params);
  for (const g of [result.blocked_listings_zero, result.ndcg_improves, result.latency_budget]) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return result;
}

/** Pure evaluation of a parsed model and policy on a parsed feature table. */
export function judgeRanker(table: CsvTable, model: RankerModel, policy: ActionPolicy, champion: Champion | null, params: RankerEvaluateParams): RankerEvaluation {
  const test = table.rows.filter((r) => r["split"] === "test");
  const scores = scoreCandidates(model, test);
  const rule = ruleOf(policy);
  const outcomes = querySlates(test, scores, rule);
  // What the same model would show without eligibility: evidence that the rule, not luck, keeps exposure at zero.
  const unfiltered = querySlates(test, scores, { ...rule, excludeBlocked: false });
  const baseline = querySlates(test, test.map((r) => -Number(r["retrieval_rank"])), { ...rule, rerankDepth: 0 });
  const latencies = outcomes.map((o) => queryLatencyMs(o.poolSize, o.scored, model.features.length, params));
  const lat = latencySummary(latencies);
  const exposure = outcomes.reduce((s, o) => s + o.blockedShown, 0);
  const shownPrices = outcomes.flatMap((o) => o.slateRows.map((i) => Number(test[i]?.["price"])));
  const shownScores = outcomes.flatMap((o) => o.slateRows.map((i) => scores[i] as number));
  const metrics = finiteMetrics({
    queries: outcomes.length,
    ndcg_at_10: meanNdcg(outcomes),
    ndcg_at_10_retrieval: meanNdcg(baseline),
    blocked_listing_exposure: exposure,
    p50_latency_ms: lat.p50,
    p99_latency_ms: lat.p99,
    mean_scored_candidates: outcomes.reduce((s, o) => s + o.scored, 0) / Math.max(1, outcomes.length),
    max_per_brand: Math.max(0, ...outcomes.map((o) => o.maxPerBrand)),
  });
  const slices: EvaluationReport["slices"] = {};
  for (const dim of ["category", "intent"] as const) {
    const values = [...new Set(outcomes.map((o) => o[dim]))].sort();
    slices[dim] = Object.fromEntries(values.map((v) => [v, cleanMetrics(sliceMetrics(outcomes.filter((o) => o[dim] === v)))]));
  }
  const wouldShow = unfiltered.reduce((s, o) => s + o.blockedShown, 0);
  const offenders = outcomes.filter((o) => o.blockedShown > 0).map((o) => o.queryId);
  const blocked_listings_zero = countGate(
    "blocked_listings_zero",
    exposure,
    exposure === 0
      ? `no blocked listing in ${outcomes.length} test slates (without eligibility the model would have shown ${wouldShow})`
      : `${exposure} blocked listings shown in ${offenders.length} of ${outcomes.length} test slates`,
    { evidence: { slates: outcomes.length, eligibility: rule.excludeBlocked ? "exclude_blocked" : "none", would_show_without_eligibility: wouldShow, offending_queries: offenders.slice(0, 10) } },
  );
  const ndcg_improves = championGate(params.championRule, metrics, champion?.metrics ?? null, {
    critical: true,
    championRelease: champion?.release ?? null,
    source: params.championRuleSource,
  });
  const latency_budget = thresholdGate("latency_budget", lat.p99, "at_most", params.latencyBudgetMs, {
    evidence: {
      p50_ms: lat.p50,
      model: "overhead + pool x per_candidate + scored x features x per_feature",
      unit_costs_ms: { overhead: params.overheadMs, per_candidate: params.perCandidateMs, per_feature: params.perFeatureMs },
      features: model.features.length,
      rerank_depth: rule.rerankDepth,
      max_pool: Math.max(0, ...outcomes.map((o) => o.poolSize)),
    },
    digits: 3,
  });
  const report: EvaluationReport = {
    project: "ranking",
    model_id: model.model_id,
    feature_version: model.feature_version,
    policy_id: policy.id,
    primary_metric: params.championRule.primaryMetric,
    higher_is_better: params.championRule.direction === "higher",
    metrics,
    slices,
    calibration: null,
    champion: champion ? { release: champion.release ?? null, metrics: { ...champion.metrics } } : null,
    reference: {
      price: histogram(shownPrices, [0, 10, 20, 40, 60, 80, 120, 160, 1000]),
      relevance_score: histogram(shownScores, [-10, -2, -1, 0, 1, 2, 3, 10]),
    },
    gates: [blocked_listings_zero, ndcg_improves, latency_budget],
  };
  return { report, blocked_listings_zero, ndcg_improves, latency_budget };
}

function sliceMetrics(outcomes: readonly QueryOutcome[]): Record<string, number> {
  return { queries: outcomes.length, ndcg_at_10: meanNdcg(outcomes), blocked_shown: outcomes.reduce((s, o) => s + o.blockedShown, 0) };
}
