/**
 * The forecast project: daily orders per warehouse a week ahead, and a
 * capacity alert when the forecast nears what a warehouse can ship.
 *
 *   snapshot -> features -> validate -> train -> evaluate -> (promote)
 *
 * Every knob lives in params.json; see README.md for the v1/v2/v3 story.
 */
import { defineProject, file, json, runFrom, type StagesOf } from "sluice";
import { DescribedActionPolicy, SlicedEvaluationReport } from "sluice/contracts";
import { evaluateCandidate, gatesOf, promoteAlias, trainCandidate, validateSnapshot } from "sluice/registry";
import { SnapshotEvidenceSchema } from "../../stages/lib/schemas.js";
import { loadForecastParams } from "./params.js";

const params = loadForecastParams();

const forecast = defineProject("forecast", (p) => {
  const snapshot = p.stage("snapshot", {
    description: "daily order counts per warehouse through the cutoff (synthetic, seeded)",
    params: params.snapshot,
    outs: { counts: file("data/counts.csv"), evidence: json(SnapshotEvidenceSchema) },
    run: runFrom(() => import("./generate-counts.js"), "generateCounts"),
  });
  const features = p.stage("features", {
    description: "demand_lags_v1/v2 as known 7 days ahead, split by date",
    deps: { counts: snapshot.outs.counts },
    params: params.features,
    outs: { table: file("data/features.csv") },
    run: runFrom(() => import("./build-lag-features.js"), "buildLagFeatures"),
  });
  const validate = validateSnapshot(p, {
    gates: ["schema_valid", "latest_counts_loaded", "no_leakage", "min_rows"],
    deps: { counts: snapshot.outs.counts, features: features.outs.table },
    params: { cutoff: params.snapshot.cutoff, ...params.validate },
    run: runFrom(() => import("./validate-counts.js"), "validateCounts"),
  });
  const train = trainCandidate(p, {
    policyContract: DescribedActionPolicy,
    description: "ridge regression on lag features and the capacity-alert policy",
    modelPath: "model/forecast.json",
    deps: { table: features.outs.table, ...validate.outs },
    params: params.train,
    run: runFrom(() => import("./train-demand-model.js"), "trainDemandModel"),
  });
  const evaluate = evaluateCandidate(p, {
    gates: ["mae_improves", "peak_underforecast_cost"],
    deps: {
      table: features.outs.table,
      model: train.outs.model,
      policy: train.outs.policy,
    },
    // The champion rule comes from the promotion policy (not params.json), the champion from the registry.
    championGate: "mae_improves",
    reportContract: SlicedEvaluationReport,
    params: params.evaluate,
    run: runFrom(() => import("./evaluate-forecast.js"), "evaluateForecast"),
  });
  promoteAlias(p, {
    data: { id: `daily_counts_${params.snapshot.cutoff}`, artifact: snapshot.outs.evidence },
    features: { version: params.features.version, artifact: features.outs.table },
    model: { id: "forecast", artifact: train.outs.model },
    actionPolicy: { id: "capacity_alert_threshold", artifact: train.outs.policy },
    evaluation: evaluate.outs.report,
    gates: { ...validate.outs, ...gatesOf(evaluate.outs) },
    checksChampion: true,
  });
  return { snapshot, features, validate, train, evaluate };
});
export default forecast;

/** The project's stages by name: its stage modules type their functions from these (`StageContextOf<ForecastStages["train"]>`). */
export type ForecastStages = StagesOf<typeof forecast>;
