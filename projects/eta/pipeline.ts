/**
 * The ETA project: warn when a parcel will arrive late.
 *
 *   snapshot -> features -> validate -> train -> evaluate -> (promote)
 *
 * Every knob lives in params.json; see README.md for the v1/v2/v3 story.
 */
import { defineProject, file, json } from "sluice";
import { DescribedActionPolicy, SlicedEvaluationReport } from "sluice/contracts";
import { evaluateCandidate, gatesOf, promoteAlias, trainCandidate, validateSnapshot } from "sluice/registry";
import { SnapshotEvidenceSchema } from "../../stages/lib/schemas.js";
import { buildEtaFeatures } from "./build-features.js";
import { evaluateDelayModel } from "./evaluate-delay-model.js";
import { generateEtaEvents } from "./generate-events.js";
import { loadEtaParams } from "./params.js";
import { trainDelayModel } from "./train-delay-model.js";
import { validateEtaSnapshot } from "./validate-eta-snapshot.js";

const params = loadEtaParams();

export default defineProject("eta", (p) => {
  const snapshot = p.stage("snapshot", {
    description: "carrier scan events through the cutoff (synthetic, seeded)",
    params: params.snapshot,
    outs: { shipments: file("data/shipments.csv"), scans: file("data/scans.csv"), evidence: json(SnapshotEvidenceSchema) },
    run: generateEtaEvents,
  });
  const features = p.stage("features", {
    description: "eta_features_v1/v2 as seen 12 hours after pickup, split by time",
    deps: { shipments: snapshot.outs.shipments, scans: snapshot.outs.scans },
    params: params.features,
    outs: { table: file("data/features.csv") },
    run: buildEtaFeatures,
  });
  const validate = validateSnapshot(p, {
    gates: ["schema_valid", "freshness", "no_leakage", "min_rows"],
    deps: { shipments: snapshot.outs.shipments, scans: snapshot.outs.scans, features: features.outs.table },
    params: { cutoff: params.snapshot.cutoff, ...params.validate },
    run: validateEtaSnapshot,
  });
  const train = trainCandidate(p, {
    policyContract: DescribedActionPolicy,
    modelPath: "model/delay_model.json",
    deps: { table: features.outs.table, ...validate.outs },
    params: params.train,
    run: trainDelayModel,
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
    run: evaluateDelayModel,
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
});
