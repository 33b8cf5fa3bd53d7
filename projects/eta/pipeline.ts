/**
 * The ETA project: warn when a parcel will arrive late.
 *
 *   snapshot -> features -> validate -> train -> evaluate -> (promote)
 *
 * Every knob lives in params.json; see README.md for the v1/v2/v3 story.
 */
import { defineProject, file, json, runFrom, type StagesOf } from "sluice";
import { DescribedActionPolicy, SlicedEvaluationReport } from "sluice/contracts";
import { evaluateCandidate, gatesOf, promoteAlias, trainCandidate, validateSnapshot } from "sluice/registry";
import { SnapshotEvidenceSchema } from "../../stages/lib/schemas.js";
import { loadEtaParams } from "./params.js";

const params = loadEtaParams();

const eta = defineProject("eta", (p) => {
  const snapshot = p.stage("snapshot", {
    description: "carrier scan events through the cutoff (synthetic, seeded)",
    params: params.snapshot,
    outs: { shipments: file("data/shipments.csv"), scans: file("data/scans.csv"), evidence: json(SnapshotEvidenceSchema) },
    run: runFrom(() => import("./generate-events.js"), "generateEtaEvents"),
  });
  const features = p.stage("features", {
    description: "eta_features_v1/v2 as seen 12 hours after pickup, split by time",
    deps: { shipments: snapshot.outs.shipments, scans: snapshot.outs.scans },
    params: params.features,
    outs: { table: file("data/features.csv") },
    run: runFrom(() => import("./build-features.js"), "buildEtaFeatures"),
  });
  const validate = validateSnapshot(p, {
    gates: ["schema_valid", "freshness", "no_leakage", "min_rows"],
    deps: { shipments: snapshot.outs.shipments, scans: snapshot.outs.scans, features: features.outs.table },
    params: { cutoff: params.snapshot.cutoff, ...params.validate },
    run: runFrom(() => import("./validate-eta-snapshot.js"), "validateEtaSnapshot"),
  });
  const train = trainCandidate(p, {
    policyContract: DescribedActionPolicy,
    modelPath: "model/delay_model.json",
    deps: { table: features.outs.table, ...validate.outs },
    params: params.train,
    run: runFrom(() => import("./train-delay-model.js"), "trainDelayModel"),
  });
  const evaluate = evaluateCandidate(p, {
    gates: ["critical_slice_pass", "cost_improves"],
    deps: {
      table: features.outs.table,
      model: train.outs.model,
      policy: train.outs.policy,
    },
    // The champion rule comes from the promotion policy (not params.json), the champion from the registry.
    championGate: "cost_improves",
    reportContract: SlicedEvaluationReport,
    params: params.evaluate,
    run: runFrom(() => import("./evaluate-delay-model.js"), "evaluateDelayModel"),
  });
  promoteAlias(p, {
    data: { id: `carrier_events_${params.snapshot.cutoff}`, artifact: snapshot.outs.evidence },
    features: { version: params.features.version, artifact: features.outs.table },
    model: { id: "delay_model", artifact: train.outs.model },
    actionPolicy: { id: "warning_threshold", artifact: train.outs.policy },
    evaluation: evaluate.outs.report,
    gates: { ...validate.outs, ...gatesOf(evaluate.outs) },
    checksChampion: true,
  });
  return { snapshot, features, validate, train, evaluate };
});
export default eta;

/** The project's stages by name: its stage modules type their functions from these (`StageContextOf<EtaStages["train"]>`). */
export type EtaStages = StagesOf<typeof eta>;
