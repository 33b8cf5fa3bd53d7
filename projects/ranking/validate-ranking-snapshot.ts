/**
 * `ranking:validate`: the snapshot and the feature table built from it must
 * pass before anything trains. Five gates: `schema_valid` (zod, row by row,
 * all four files), `freshness` (the query log reaches the cutoff, nothing
 * after it), `candidate_supply` (every query has enough eligible — not
 * blocked — candidates to fill a slate), `no_leakage` (no candidate listed
 * after its query was asked; no query in two splits) and `min_rows`
 * (judged queries per split).
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { toMs } from "../../stages/lib/dates.js";
import { shortDigest } from "../../stages/lib/digest.js";
import { thresholdGate, type Gate } from "../../stages/lib/gate.js";
import { mean } from "../../stages/lib/numbers.js";
import { MAX_OFFENDERS, freshnessGate, leakageGate, minRowsGate, schemaGate } from "../../stages/lib/snapshot-checks.js";
import type { StageContextOf } from "sluice";
import type { RankingStages } from "./pipeline.js";
import {
  JUDGMENT_COLUMNS, JudgmentRow, LISTING_COLUMNS, ListingRow, QUERY_COLUMNS, QueryRow,
  rankingFeatureColumns, rankingFeatureRowSchema, rankingVersionOf,
} from "./schema.js";

/** Params of `ranking:validate`. */
export type RankingValidateParams = StageContextOf<RankingStages["validate"]>["params"];

/** The gates `ranking:validate` writes, by name. */
export type RankingValidationGates = Record<"schema_valid" | "freshness" | "candidate_supply" | "no_leakage" | "min_rows", Gate>;

/** Stage function: reads the four files and returns one gate per check. */
export function validateRankingSnapshot(ctx: StageContextOf<RankingStages["validate"]>): RankingValidationGates {
  const read = (p: string): string => readFileSync(p, "utf8");
  const gates = checkRankingSnapshot(
    { listings: read(ctx.deps.listings), queries: read(ctx.deps.queries), judgments: read(ctx.deps.judgments), features: read(ctx.deps.features) },
    ctx.params,
  );
  for (const g of Object.values(gates)) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return gates;
}

/** Pure check of the CSV texts. */
export function checkRankingSnapshot(
  files: { listings: string; queries: string; judgments: string; features: string },
  params: RankingValidateParams,
): RankingValidationGates {
  const listings = parseCsv(files.listings);
  const queries = parseCsv(files.queries);
  const judgments = parseCsv(files.judgments);
  const features = parseCsv(files.features);
  const version = rankingVersionOf(features.columns);
  const cutoffMs = toMs(params.cutoff);
  const splitOf = new Map<string, string>();
  for (const r of features.rows) splitOf.set(r["query_id"] ?? "", r["split"] ?? "");
  const splitCounts: Record<string, number> = { train: 0, valid: 0, test: 0 };
  for (const s of splitOf.values()) if (s in splitCounts) splitCounts[s] = (splitCounts[s] ?? 0) + 1;
  return {
    schema_valid: schemaGate([
      { name: "listings", table: listings, schema: ListingRow, columns: LISTING_COLUMNS, digest: shortDigest(files.listings) },
      { name: "queries", table: queries, schema: QueryRow, columns: QUERY_COLUMNS, digest: shortDigest(files.queries) },
      { name: "judgments", table: judgments, schema: JudgmentRow, columns: JUDGMENT_COLUMNS, digest: shortDigest(files.judgments) },
      { name: "features", table: features, schema: rankingFeatureRowSchema(version), columns: rankingFeatureColumns(version), digest: shortDigest(files.features) },
    ]),
    freshness: freshnessGate({ timestamps: queries.rows.map((r) => toMs(r["asked_at"] ?? "")), cutoffMs, maxLagHours: params.maxLagHours }),
    candidate_supply: supplyGate(queries.rows, features.rows, params.minCandidates),
    no_leakage: leakageGate({
      rows: features.rows.map((r) => ({ id: `${r["query_id"]}/${r["listing_id"]}`, asOfMs: toMs(r["as_of"] ?? ""), sourceMaxMs: toMs(r["source_max_at"] ?? "") })),
      cutoffMs,
      groups: features.rows.map((r) => ({ group: r["query_id"] ?? "", split: r["split"] ?? "" })),
      groupLabel: "query",
    }),
    min_rows: minRowsGate(splitCounts, params.minQueries, params.minPerSplit),
  };
}

/** `candidate_supply`: value = the smallest number of eligible candidates any judged query has. */
export function supplyGate(queries: readonly Record<string, string>[], features: readonly Record<string, string>[], minCandidates: number): Gate {
  const supply = new Map<string, number>(queries.map((q) => [q["query_id"] ?? "", 0]));
  let blocked = 0;
  for (const r of features) {
    if (r["blocked"] === "1") blocked++;
    else supply.set(r["query_id"] ?? "", (supply.get(r["query_id"] ?? "") ?? 0) + 1);
  }
  const counts = [...supply.values()];
  const starved = [...supply].filter(([, n]) => n < minCandidates).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const gate = thresholdGate("candidate_supply", counts.length === 0 ? Number.NaN : Math.min(...counts), "at_least", minCandidates, {
    evidence: {
      queries: counts.length,
      mean_eligible: Math.round(mean(counts) * 100) / 100,
      blocked_candidates_removed: blocked,
      starved_queries: starved.length,
      offending: starved.slice(0, MAX_OFFENDERS).map(([query, eligible]) => ({ query, eligible })),
    },
    digits: 0,
  });
  return gate;
}
