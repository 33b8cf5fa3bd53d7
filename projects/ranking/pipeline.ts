/**
 * The ranking project: order a marketplace's candidates for a query, never
 * showing a blocked listing.
 *
 *   snapshot -> features -> validate -> train -> evaluate -> (promote)
 *
 * Every knob lives in params.json; see README.md for the v1/v2/v3 story.
 */
import { defineProject, file, json, runFrom, type StagesOf } from "sluice";
import { DescribedActionPolicy, SlicedEvaluationReport } from "sluice/contracts";
import { evaluateCandidate, gatesOf, promoteAlias, trainCandidate, validateSnapshot } from "sluice/registry";
import { SnapshotEvidenceSchema } from "../../stages/lib/schemas.js";
import { loadRankingParams } from "./params.js";

const params = loadRankingParams();

const ranking = defineProject("ranking", (p) => {
  const snapshot = p.stage("snapshot", {
    description: "catalog with blocked listings, judged queries, graded judgments (synthetic, seeded)",
    params: params.snapshot,
    outs: {
      listings: file("data/listings.csv"),
      queries: file("data/queries.csv"),
      judgments: file("data/judgments.csv"),
      evidence: json(SnapshotEvidenceSchema),
    },
    run: runFrom(() => import("./generate-catalog.js"), "generateCatalog"),
  });
  const features = p.stage("features", {
    description: "ranking_features_v1/v2 per (query, retrieved candidate), split by query time",
    deps: { listings: snapshot.outs.listings, queries: snapshot.outs.queries, judgments: snapshot.outs.judgments },
    params: params.features,
    outs: { table: file("data/features.csv") },
    run: runFrom(() => import("./build-ranking-features.js"), "buildRankingFeatures"),
  });
  const validate = validateSnapshot(p, {
    gates: ["schema_valid", "freshness", "candidate_supply", "no_leakage", "min_rows"],
    deps: { listings: snapshot.outs.listings, queries: snapshot.outs.queries, judgments: snapshot.outs.judgments, features: features.outs.table },
    params: { cutoff: params.snapshot.cutoff, ...params.validate },
    run: runFrom(() => import("./validate-ranking-snapshot.js"), "validateRankingSnapshot"),
  });
  const train = trainCandidate(p, {
    policyContract: DescribedActionPolicy,
    description: "pairwise-loss linear ranker and its slate policy (eligibility, rerank depth, top-k, brand cap)",
    modelPath: "model/ranker.json",
    deps: { table: features.outs.table, ...validate.outs },
    params: { ...params.train, ...params.policy },
    run: runFrom(() => import("./train-ranker.js"), "trainRanker"),
  });
  const evaluate = evaluateCandidate(p, {
    gates: ["blocked_listings_zero", "ndcg_improves", "latency_budget"],
    deps: {
      table: features.outs.table,
      model: train.outs.model,
      policy: train.outs.policy,
    },
    // The champion rule comes from the promotion policy (not params.json), the champion from the registry.
    championGate: "ndcg_improves",
    reportContract: SlicedEvaluationReport,
    params: params.evaluate,
    run: runFrom(() => import("./evaluate-ranker.js"), "evaluateRanker"),
  });
  promoteAlias(p, {
    data: { id: `catalog_judgments_${params.snapshot.cutoff}`, artifact: snapshot.outs.evidence },
    features: { version: params.features.version, artifact: features.outs.table },
    model: { id: "ranker", artifact: train.outs.model },
    actionPolicy: { id: "eligibility_slate_rule", artifact: train.outs.policy },
    evaluation: evaluate.outs.report,
    gates: { ...validate.outs, ...gatesOf(evaluate.outs) },
    checksChampion: true,
  });
  return { snapshot, features, validate, train, evaluate };
});
export default ranking;

/** The project's stages by name: its stage modules type their functions from these (`StageContextOf<RankingStages["train"]>`). */
export type RankingStages = StagesOf<typeof ranking>;
