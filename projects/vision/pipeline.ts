/**
 * The vision project: flag damaged parcels in return photos; unusable photos
 * and high damage scores go to a human reviewer.
 *
 *   snapshot -> features -> validate -> train -> evaluate -> (promote)
 *
 * Every knob lives in params.json; see README.md for the v1/v2/v3 story.
 */
import { z } from "zod";
import { defineProject, file, json, runFrom, type StagesOf } from "sluice";
import { DescribedActionPolicy, SlicedEvaluationReport } from "sluice/contracts";
import { evaluateCandidate, gatesOf, promoteAlias, trainCandidate, validateSnapshot } from "sluice/registry";
import { SnapshotEvidenceSchema } from "../../stages/lib/schemas.js";
import { loadVisionParams } from "./params.js";

const params = loadVisionParams();

/** Per-channel pixel standardisation the features stage fitted on the train split. */
const PixelNormSchema = z.object({ mean: z.array(z.number()), std: z.array(z.number()) });

const vision = defineProject("vision", (p) => {
  const snapshot = p.stage("snapshot", {
    description: "return photos grouped by shipment and source camera (synthetic, seeded)",
    params: params.snapshot,
    outs: { manifest: file("data/photos.csv"), sheet: file("data/photos.ppm"), evidence: json(SnapshotEvidenceSchema) },
    run: runFrom(() => import("./generate-photos.js"), "generatePhotos"),
  });
  const features = p.stage("features", {
    description: "parcel_rgb_v1: quality gate, split by shipment, standardised pixels",
    deps: { manifest: snapshot.outs.manifest, sheet: snapshot.outs.sheet },
    params: params.features,
    outs: { table: file("data/features.csv"), pixels: file("data/pixels.f32"), norm: json(PixelNormSchema) },
    run: runFrom(() => import("./build-photo-features.js"), "buildPhotoFeatures"),
  });
  const validate = validateSnapshot(p, {
    gates: ["schema_valid", "freshness", "usable_image_rate", "no_shipment_leakage", "min_rows"],
    deps: { manifest: snapshot.outs.manifest, features: features.outs.table, pixels: features.outs.pixels },
    params: { cutoff: params.snapshot.cutoff, ...params.validate },
    run: runFrom(() => import("./validate-photos.js"), "validatePhotos"),
  });
  const train = trainCandidate(p, {
    policyContract: DescribedActionPolicy,
    description: "small CNN (tfjs, CPU) and its quality gate + review threshold policy",
    modelPath: "model/damage_cnn.json",
    deps: { table: features.outs.table, pixels: features.outs.pixels, norm: features.outs.norm, ...validate.outs },
    params: { ...params.train, minBrightness: params.features.minBrightness, minSharpness: params.features.minSharpness },
    run: runFrom(() => import("./train-damage-cnn.js"), "trainDamageCnn"),
  });
  const evaluate = evaluateCandidate(p, {
    gates: ["source_slice_pass", "beats_champion"],
    deps: {
      table: features.outs.table,
      pixels: features.outs.pixels,
      model: train.outs.model,
      policy: train.outs.policy,
    },
    // The champion rule comes from the promotion policy (not params.json), the champion from the registry.
    championGate: "beats_champion",
    reportContract: SlicedEvaluationReport,
    params: params.evaluate,
    run: runFrom(() => import("./evaluate-damage-cnn.js"), "evaluateDamageCnn"),
  });
  promoteAlias(p, {
    data: { id: `return_photos_${params.snapshot.cutoff}`, artifact: snapshot.outs.evidence },
    features: { version: "parcel_rgb_v1", artifact: features.outs.table },
    model: { id: "damage_cnn", artifact: train.outs.model },
    actionPolicy: { id: "quality_gate_review_threshold", artifact: train.outs.policy },
    evaluation: evaluate.outs.report,
    gates: { ...validate.outs, ...gatesOf(evaluate.outs) },
    checksChampion: true,
  });
  return { snapshot, features, validate, train, evaluate };
});
export default vision;

/** The project's stages by name: its stage modules type their functions from these (`StageContextOf<VisionStages["train"]>`). */
export type VisionStages = StagesOf<typeof vision>;
