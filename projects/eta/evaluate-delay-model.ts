/**
 * `eta:evaluate`: scores the test split with the trained model and its
 * warning threshold, then writes the evaluation report (overall, per lane,
 * per carrier, per lane class, calibration) and two gates:
 * `critical_slice_pass` (recall of late deliveries on critical lanes) and
 * `cost_improves` (the champion/challenger rule of the promotion policy:
 * expected cost per shipment beats the production champion by more than the
 * policy's margin, within its guardrails).
 */
import { readFileSync } from "node:fs";
import { parseCsv, type CsvTable } from "../../stages/lib/csv.js";
import { championGate, type Champion } from "sluice/registry";
import { thresholdGate, type Gate } from "../../stages/lib/gate.js";
import { readJsonFile } from "../../stages/lib/json-file.js";
import { auc, confusion, ece, logLoss, precision, recall } from "../../stages/lib/metrics.js";
import { calibrationBins, cleanMetrics, finiteMetrics, histogram, SCORE_EDGES } from "../../stages/lib/report-helpers.js";
import type { ActionPolicy, EvaluationReport } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { EtaStages } from "./pipeline.js";
import { costAt } from "../../stages/lib/threshold-search.js";
import { DelayModelSchema, scoreDelay } from "./delay-model.js";

/** Params of `eta:evaluate`. */
export type EtaEvaluateParams = StageContextOf<EtaStages["evaluate"]>["params"];

/** What `eta:evaluate` returns: the report and its gates. */
export interface EtaEvaluation {
  readonly report: EvaluationReport;
  readonly critical_slice_pass: Gate;
  readonly cost_improves: Gate;
}

/** Stage function. */
export function evaluateDelayModel(ctx: StageContextOf<EtaStages["evaluate"]>): EtaEvaluation {
  const model = DelayModelSchema.parse(readJsonFile(ctx.deps.model));
  const table = parseCsv(readFileSync(ctx.deps.table, "utf8"));
  const result = judgeDelayModel(table, model, ctx.deps.policy, ctx.deps.champion, ctx.params);
  for (const g of [result.critical_slice_pass, result.cost_improves]) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return result;
}

/** Pure evaluation of a parsed model on a parsed feature table. */
export function judgeDelayModel(
  table: CsvTable,
  model: ReturnType<typeof DelayModelSchema.parse>,
  policy: ActionPolicy,
  champion: Champion | null,
  params: EtaEvaluateParams,
): EtaEvaluation {
  const test = table.rows.filter((r) => r["split"] === "test");
  const probs = scoreDelay(model, test);
  const labels = test.map((r) => Number(r["late"]));
  const threshold = policy.thresholds["warning"] ?? 0.5;
  const costs = { missed: params.missedCost, falseAlarm: params.falseAlarmCost };
  const sliceMetrics = (idx: number[]): Record<string, number> => {
    const y = idx.map((i) => labels[i] as number), p = idx.map((i) => probs[i] as number);
    const c = confusion(y, p, threshold);
    return { rows: idx.length, late_rate: y.reduce((a, b) => a + b, 0) / Math.max(1, y.length), recall: recall(c), precision: precision(c), cost_per_shipment: costAt(y, p, threshold, costs) };
  };
  const all = test.map((_, i) => i);
  const critical = all.filter((i) => test[i]?.["critical"] === "1");
  const criticalRecall = sliceMetrics(critical)["recall"] as number;
  const overall = sliceMetrics(all);
  const metrics = finiteMetrics({
    ...overall,
    critical_recall: criticalRecall,
    auc: auc(labels, probs),
    log_loss: logLoss(labels, probs),
    ece: ece(labels, probs),
    warning_rate: probs.filter((p) => p >= threshold).length / Math.max(1, probs.length),
  });
  const slices: EvaluationReport["slices"] = {};
  for (const dim of ["lane", "carrier", "critical"] as const) {
    const values = [...new Set(test.map((r) => r[dim] ?? ""))].sort();
    slices[dim] = Object.fromEntries(values.map((v) => [v, cleanMetrics(sliceMetrics(all.filter((i) => test[i]?.[dim] === v)))]));
  }
  const critical_slice_pass = thresholdGate("critical_slice_pass", criticalRecall, "at_least", params.criticalRecallMin, {
    evidence: { slice: "critical lanes", rows: critical.length, late: critical.filter((i) => labels[i] === 1).length, threshold_used: threshold },
  });
  const cost_improves = championGate(params.championRule, metrics, champion?.metrics ?? null, {
    critical: true,
    championRelease: champion?.release ?? null,
    source: params.championRuleSource,
  });
  const report: EvaluationReport = {
    project: "eta",
    model_id: model.model_id,
    feature_version: model.feature_version,
    policy_id: policy.id,
    primary_metric: params.championRule.primaryMetric,
    higher_is_better: params.championRule.direction === "higher",
    metrics,
    slices,
    calibration: { ece: metrics["ece"] ?? 0, bins: calibrationBins(labels, probs) },
    champion: champion ? { release: champion.release ?? null, metrics: { ...champion.metrics } } : null,
    reference: { score: histogram(probs, SCORE_EDGES) },
    gates: [critical_slice_pass, cost_improves],
  };
  return { report, critical_slice_pass, cost_improves };
}
