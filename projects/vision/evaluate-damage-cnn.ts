/**
 * `vision:evaluate`: scores the usable test photos and reports AUC, recall
 * and precision at the review threshold, calibration, and per-source slices.
 * Gates: `source_slice_pass` (every source camera's damage recall reaches the
 * floor: a model that only works on kiosk photos must not ship) and
 * `beats_champion` (the promotion policy's champion/challenger rule: AUC
 * beats production by more than the policy's margin).
 */
import { readFileSync } from "node:fs";
import { championGate, type Champion } from "sluice/registry";
import { parseCsv } from "../../stages/lib/csv.js";
import { thresholdGate, type Gate } from "../../stages/lib/gate.js";
import { readJsonFile } from "../../stages/lib/json-file.js";
import { auc, confusion, ece, f1, precision, recall } from "../../stages/lib/metrics.js";
import { calibrationBins, cleanMetrics, finiteMetrics, histogram, SCORE_EDGES } from "../../stages/lib/report-helpers.js";
import type { ActionPolicy, EvaluationReport } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { VisionStages } from "./pipeline.js";
import { CnnModelSchema, readPixels, weightsOf } from "./cnn-model-file.js";
import { poolPatches, predictCnn } from "./damage-cnn.js";
import { SOURCE_NAMES } from "./sources.js";

/** Params of `vision:evaluate`. */
export type CnnEvaluateParams = StageContextOf<VisionStages["evaluate"]>["params"];

/** Report and gates. */
export interface CnnEvaluation {
  readonly report: EvaluationReport;
  readonly source_slice_pass: Gate;
  readonly beats_champion: Gate;
}

/** Stage function. */
export async function evaluateDamageCnn(ctx: StageContextOf<VisionStages["evaluate"]>): Promise<CnnEvaluation> {
  const rows = parseCsv(readFileSync(ctx.deps.table, "utf8")).rows;
  const model = CnnModelSchema.parse(readJsonFile(ctx.deps.model));
  const patches = poolPatches(readPixels(ctx.deps.pixels), rows.length);
  const test = rows.flatMap((r, i) => (r["split"] === "test" && r["usable"] === "1" ? [i] : []));
  const scores = await predictCnn(weightsOf(model), model.filters, patches, test);
  const result = judgeDamageCnn(rows, test, scores, model.model_id, model.feature_version, ctx.deps.policy, ctx.deps.champion, ctx.params);
  for (const g of [result.source_slice_pass, result.beats_champion]) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return result;
}

/** Pure judgement from scores of the usable test rows `test`. */
export function judgeDamageCnn(
  rows: readonly Record<string, string>[],
  test: readonly number[],
  scores: readonly number[],
  modelId: string,
  featureVersion: string,
  policy: ActionPolicy,
  champion: Champion | null,
  params: CnnEvaluateParams,
): CnnEvaluation {
  const threshold = policy.thresholds["review"] ?? 0.5;
  const labels = test.map((i) => Number(rows[i]?.["damaged"]));
  const allTest = rows.filter((r) => r["split"] === "test");
  const slice = (keep: (row: Record<string, string>) => boolean): Record<string, number> => {
    const sel = test.map((i, j) => [i, j] as const).filter(([i]) => keep(rows[i] ?? {}));
    const y = sel.map(([, j]) => labels[j] as number), s = sel.map(([, j]) => scores[j] as number);
    const c = confusion(y, s, threshold);
    const inSlice = allTest.filter(keep);
    return { rows: sel.length, usable_rate: inSlice.filter((r) => r["usable"] === "1").length / Math.max(1, inSlice.length), recall: recall(c), precision: precision(c), auc: auc(y, s) };
  };
  const c = confusion(labels, scores, threshold);
  const metrics = finiteMetrics({
    ...slice(() => true),
    f1: f1(c),
    ece: ece(labels, scores),
    review_rate: scores.filter((s) => s >= threshold).length / Math.max(1, scores.length),
  });
  const bySource = Object.fromEntries(SOURCE_NAMES.map((s) => [s, slice((r) => r["source"] === s)]));
  const recalls = Object.entries(bySource).map(([s, m]) => [s, m["recall"] as number] as const).filter(([, r]) => Number.isFinite(r));
  const worst = recalls.sort((a, b) => a[1] - b[1])[0];
  const source_slice_pass = thresholdGate("source_slice_pass", worst ? worst[1] : Number.NaN, "at_least", params.minSourceRecall, {
    evidence: { worst_source: worst ? worst[0] : null, recall_by_source: Object.fromEntries(recalls.map(([s, r]) => [s, Math.round(r * 1e6) / 1e6])), threshold_used: threshold },
  });
  const beats_champion = championGate(params.championRule, metrics, champion?.metrics ?? null, {
    critical: true,
    championRelease: champion?.release ?? null,
    source: params.championRuleSource,
  });
  const report: EvaluationReport = {
    project: "vision",
    model_id: modelId,
    feature_version: featureVersion,
    policy_id: policy.id,
    primary_metric: params.championRule.primaryMetric,
    higher_is_better: params.championRule.direction === "higher",
    metrics,
    slices: { source: Object.fromEntries(Object.entries(bySource).map(([s, m]) => [s, cleanMetrics(m)])) },
    calibration: { ece: metrics["ece"] ?? 0, bins: calibrationBins(labels, scores) },
    champion: champion ? { release: champion.release ?? null, metrics: { ...champion.metrics } } : null,
    reference: { score: histogram([...scores], SCORE_EDGES) },
    gates: [source_slice_pass, beats_champion],
  };
  return { report, source_slice_pass, beats_champion };
}
