/**
 * `ranking:features`: `ranking_features_v1`, one row per (query, retrieved
 * candidate): lexical match of query and title, category/brand/style
 * matches, price relative to the category median, rating, review volume and
 * listing age as of the query. `ranking_features_v2` adds price-intent
 * interactions. Each row also carries the retrieval rank (lexical match,
 * then review volume: the cheap first stage the ranker re-orders) and its
 * provenance (as-of = when the query was asked, source_max = when the
 * listing appeared), so validation can prove no candidate came from the
 * future. Splits are by query time: the ranker is judged on newer queries
 * than any it learned from, and a query never straddles splits.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { formatCsv, parseCsv } from "../../stages/lib/csv.js";
import { DAY_MS, toMs } from "../../stages/lib/dates.js";
import { fixed } from "../../stages/lib/numbers.js";
import type { StageContextOf } from "sluice";
import type { RankingStages } from "./pipeline.js";
import { medianPrice } from "./catalog.js";
import { rankingFeatureColumns, type RankingFeatureVersion } from "./schema.js";

/** Params of `ranking:features`. */
export type RankingFeatureParams = StageContextOf<RankingStages["features"]>["params"];

/** Writes `features.csv`. */
export function buildRankingFeatures(ctx: StageContextOf<RankingStages["features"]>): void {
  const read = (p: string): string => readFileSync(p, "utf8");
  const rows = rankingFeatureRows(read(ctx.deps.listings), read(ctx.deps.queries), read(ctx.deps.judgments), ctx.params);
  writeFileSync(ctx.outs.table, formatCsv(rankingFeatureColumns(ctx.params.version), rows));
  ctx.log(`ranking features (${ctx.params.version}): ${rows.length} rows`);
}

type Cells = Record<string, string>;

/** Pure feature computation from the three CSV texts. Judgments naming unknown ids are skipped (validation reports them). */
export function rankingFeatureRows(listingsCsv: string, queriesCsv: string, judgmentsCsv: string, params: RankingFeatureParams): Cells[] {
  const listings = new Map(parseCsv(listingsCsv).rows.map((r) => [r["listing_id"] ?? "", r]));
  const queries = parseCsv(queriesCsv).rows.filter((q) => Number.isFinite(toMs(q["asked_at"] ?? "")));
  // Stable order by time, then id: the split boundary must not depend on file order.
  queries.sort((a, b) => cmp(a["asked_at"] ?? "", b["asked_at"] ?? "") || cmp(a["query_id"] ?? "", b["query_id"] ?? ""));
  const nTest = Math.round(queries.length * params.testShare);
  const nValid = Math.round(queries.length * params.validShare);
  const nTrain = queries.length - nTest - nValid;
  const pools = new Map<string, { listing: Cells; relevance: string }[]>();
  for (const j of parseCsv(judgmentsCsv).rows) {
    const listing = listings.get(j["listing_id"] ?? "");
    if (!listing) continue;
    const pool = pools.get(j["query_id"] ?? "") ?? [];
    pool.push({ listing, relevance: j["relevance"] ?? "" });
    pools.set(j["query_id"] ?? "", pool);
  }
  const out: Cells[] = [];
  queries.forEach((q, i) => {
    const split = i < nTrain ? "train" : i < nTrain + nValid ? "valid" : "test";
    const candidates = (pools.get(q["query_id"] ?? "") ?? []).map((c) => ({ ...c, f: pairFeatures(q, c.listing, params.version) }));
    // Retrieval: lexical match first, then review volume, then id for a total order.
    candidates.sort((a, b) => (b.f["text_match"] as number) - (a.f["text_match"] as number) || (b.f["log_reviews"] as number) - (a.f["log_reviews"] as number) || cmp(a.listing["listing_id"] ?? "", b.listing["listing_id"] ?? ""));
    candidates.forEach((c, rank) => {
      const feats: Cells = {};
      for (const [k, v] of Object.entries(c.f)) feats[k] = fixed(v, 4);
      out.push({
        query_id: q["query_id"] ?? "",
        listing_id: c.listing["listing_id"] ?? "",
        split,
        category: q["category"] ?? "",
        intent: q["intent"] ?? "",
        brand: c.listing["brand"] ?? "",
        blocked: c.listing["blocked"] ?? "",
        price: c.listing["price"] ?? "",
        retrieval_rank: String(rank + 1),
        as_of: q["asked_at"] ?? "",
        source_max_at: c.listing["listed_at"] ?? "",
        ...feats,
        relevance: c.relevance,
      });
    });
  });
  return out;
}

/** The model inputs of one (query, listing) pair. */
export function pairFeatures(q: Cells, l: Cells, version: RankingFeatureVersion): Record<string, number> {
  const queryTokens = (q["text"] ?? "").split(" ").filter((t) => t !== "cheap" && t !== "premium" && t !== "");
  const titleTokens = new Set((l["title"] ?? "").split(" "));
  const lpr = Math.log(Number(l["price"]) / medianPrice(l["category"] ?? ""));
  const rating = Number(l["rating"]);
  const f: Record<string, number> = {
    text_match: queryTokens.length === 0 ? 0 : queryTokens.filter((t) => titleTokens.has(t)).length / queryTokens.length,
    same_category: l["category"] === q["category"] ? 1 : 0,
    brand_match: q["brand"] !== "" && l["brand"] === q["brand"] ? 1 : 0,
    style_match: q["style"] !== "" && l["style"] === q["style"] ? 1 : 0,
    log_price_ratio: lpr,
    abs_log_price_ratio: Math.abs(lpr),
    rating,
    log_reviews: Math.log1p(Number(l["reviews"])),
    age_months: (toMs(q["asked_at"] ?? "") - toMs(l["listed_at"] ?? "")) / (30 * DAY_MS),
  };
  if (version === "ranking_features_v2") {
    f["cheap_x_price"] = q["intent"] === "cheap" ? lpr : 0;
    f["premium_x_rating"] = q["intent"] === "premium" ? rating - 4 : 0;
  }
  return f;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
