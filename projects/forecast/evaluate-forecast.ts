/**
 * `forecast:evaluate`: forecasts the test split and reports MAE overall, per
 * warehouse, per weekday and on peak days, plus two gates: `mae_improves`
 * (the promotion policy's champion/challenger rule: beats the production
 * champion's MAE by more than the policy's margin) and
 * `peak_underforecast_cost` (the cost of orders a peak-day forecast missed,
 * per peak warehouse-day, stays under the cap: an underforecast peak means
 * unstaffed docks and late parcels).
 */
import { readFileSync } from "node:fs";
import { championGate, type Champion } from "sluice/registry";
import { parseCsv, type CsvTable } from "../../stages/lib/csv.js";
import { thresholdGate, type Gate } from "../../stages/lib/gate.js";
import { readJsonFile } from "../../stages/lib/json-file.js";
import { mae } from "../../stages/lib/metrics.js";
import { cleanMetrics, finiteMetrics, histogram } from "../../stages/lib/report-helpers.js";
import type { ActionPolicy, EvaluationReport } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { ForecastStages } from "./pipeline.js";
import { DemandModelSchema, forecastOrders, type DemandModel } from "./demand-model.js";

/** Params of `forecast:evaluate`. */
export type ForecastEvaluateParams = StageContextOf<ForecastStages["evaluate"]>["params"];

/** Report and gates. */
export interface ForecastEvaluation {
  readonly report: EvaluationReport;
  readonly mae_improves: Gate;
  readonly peak_underforecast_cost: Gate;
}

/** Stage function. */
export function evaluateForecast(ctx: StageContextOf<ForecastStages["evaluate"]>): ForecastEvaluation {
  const model = DemandModelSchema.parse(readJsonFile(ctx.deps.model));
  const result = judgeForecast(parseCsv(readFileSync(ctx.deps.table, "utf8")), model, ctx.deps.policy, ctx.deps.champion, ctx.params);
  for (const g of [result.mae_improves, result.peak_underforecast_cost]) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return result;
}

/** Pure evaluation. */
export function judgeForecast(table: CsvTable, model: DemandModel, policy: ActionPolicy, champion: Champion | null, params: ForecastEvaluateParams): ForecastEvaluation {
  const test = table.rows.filter((r) => r["split"] === "test");
  const actual = test.map((r) => Number(r["orders"]));
  const predicted = forecastOrders(model, test);
  const idx = test.map((_, i) => i);
  const peakIdx = idx.filter((i) => test[i]?.["peak"] === "1");
  const under = (i: number): number => Math.max(0, (actual[i] as number) - (predicted[i] as number));
  const peakCost = peakIdx.reduce((s, i) => s + under(i) * params.underforecastCostPerOrder, 0) / Math.max(1, peakIdx.length);
  const ratio = policy.thresholds["alert_ratio"] ?? 1;
  const alertRows = idx.filter((i) => (predicted[i] as number) >= ratio * (policy.thresholds[`capacity_${test[i]?.["warehouse"]}`] ?? Number.POSITIVE_INFINITY));
  const sliceMetrics = (sel: number[]): Record<string, number> => ({
    rows: sel.length,
    mae: mae(sel.map((i) => actual[i] as number), sel.map((i) => predicted[i] as number)),
    bias: sel.reduce((s, i) => s + (predicted[i] as number) - (actual[i] as number), 0) / Math.max(1, sel.length),
  });
  const metrics = finiteMetrics({
    ...sliceMetrics(idx),
    mae_peak: sliceMetrics(peakIdx)["mae"] as number,
    peak_underforecast_cost: peakCost,
    alert_rate: alertRows.length / Math.max(1, idx.length),
  });
  const slices: EvaluationReport["slices"] = {};
  const dims: Record<string, (r: Record<string, string>) => string> = {
    warehouse: (r) => r["warehouse"] ?? "",
    weekday: (r) => ["mon", "tue", "wed", "thu", "fri", "sat"].find((d) => r[`dow_${d}`] === "1") ?? "sun",
    peak: (r) => (r["peak"] === "1" ? "peak" : "normal"),
  };
  for (const [dim, key] of Object.entries(dims)) {
    const values = [...new Set(test.map(key))].sort();
    slices[dim] = Object.fromEntries(values.map((v) => [v, cleanMetrics(sliceMetrics(idx.filter((i) => key(test[i] ?? {}) === v)))]));
  }
  const mae_improves = championGate(params.championRule, metrics, champion?.metrics ?? null, {
    critical: true,
    championRelease: champion?.release ?? null,
    source: params.championRuleSource,
  });
  const peak_underforecast_cost = thresholdGate("peak_underforecast_cost", peakCost, "at_most", params.peakCostCap, {
    evidence: { peak_rows: peakIdx.length, cost_per_order: params.underforecastCostPerOrder, mae_peak: metrics["mae_peak"] ?? null },
    digits: 2,
  });
  const report: EvaluationReport = {
    project: "forecast",
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
      forecast: histogram(idx.map((i) => predicted[i] as number), [0, 200, 300, 400, 500, 600, 700, 800, 1000, 5000]),
      residual: histogram(idx.map((i) => (actual[i] as number) - (predicted[i] as number)), [-1000, -100, -50, -20, 0, 20, 50, 100, 1000]),
    },
    gates: [mae_improves, peak_underforecast_cost],
  };
  return { report, mae_improves, peak_underforecast_cost };
}
