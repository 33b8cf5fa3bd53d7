/**
 * `ranking:snapshot`: a synthetic marketplace through a cutoff — the catalog
 * (some listings blocked by trust & safety), judged queries, and a graded
 * judgment (0..3) for every candidate retrieval returned for each query.
 *
 * Hidden truth: relevance comes from category, brand and style matches, the
 * brand's quality (ratings only hint at it) and the query's price intent (a
 * cheap query punishes a high price; a premium one rewards quality). Blocked
 * listings are counterfeits: cheap, glowing fake ratings, famous brands, so
 * they look relevant to judges and to any model — only the eligibility rule
 * keeps them out of a slate.
 */
import { writeFileSync } from "node:fs";
import { formatCsv } from "../../stages/lib/csv.js";
import { HOUR_MS, isoMinute, toMs } from "../../stages/lib/dates.js";
import { shortDigest } from "../../stages/lib/digest.js";
import { fixed, round } from "../../stages/lib/numbers.js";
import { rngFor, type Rng } from "../../stages/lib/rng.js";
import type { SnapshotEvidence } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { RankingStages } from "./pipeline.js";
import { BRANDS, CATEGORIES, INTENTS, STYLES, type Intent } from "./catalog.js";
import { JUDGMENT_COLUMNS, LISTING_COLUMNS, QUERY_COLUMNS } from "./schema.js";

/** Params of `ranking:snapshot`. */
export type RankingSnapshotParams = StageContextOf<RankingStages["snapshot"]>["params"];

type Cells<C extends readonly string[]> = Record<C[number], string>;
/** A listing with its hidden quality (never written). */
interface Listing { readonly cells: Cells<typeof LISTING_COLUMNS>; readonly quality: number; readonly listedMs: number }

/** Writes `listings.csv`, `queries.csv` and `judgments.csv`; returns the snapshot evidence. */
export function generateCatalog(
  ctx: StageContextOf<RankingStages["snapshot"]>,
): { evidence: SnapshotEvidence } {
  const sim = simulateCatalog(ctx.params);
  const texts = {
    listings: formatCsv(LISTING_COLUMNS, sim.listings),
    queries: formatCsv(QUERY_COLUMNS, sim.queries),
    judgments: formatCsv(JUDGMENT_COLUMNS, sim.judgments),
  };
  writeFileSync(ctx.outs.listings, texts.listings);
  writeFileSync(ctx.outs.queries, texts.queries);
  writeFileSync(ctx.outs.judgments, texts.judgments);
  const blocked = sim.listings.filter((l) => l.blocked === "1").length;
  const relevant = sim.judgments.filter((j) => Number(j.relevance) >= 2).length;
  ctx.log(`ranking snapshot: ${sim.listings.length} listings (${blocked} blocked), ${sim.queries.length} queries, ${sim.judgments.length} judgments`);
  return {
    evidence: {
      cutoff: ctx.params.cutoff,
      latest_event: sim.queries.reduce((m, q) => (q.asked_at > m ? q.asked_at : m), ""),
      rows: { listings: sim.listings.length, queries: sim.queries.length, judgments: sim.judgments.length },
      digests: { listings: shortDigest(texts.listings), queries: shortDigest(texts.queries), judgments: shortDigest(texts.judgments) },
      summary: {
        blocked_share: round(blocked / Math.max(1, sim.listings.length), 6),
        relevant_share: round(relevant / Math.max(1, sim.judgments.length), 6),
        mean_pool: round(sim.judgments.length / Math.max(1, sim.queries.length), 3),
      },
    },
  };
}

/** The simulation itself, pure: same params, same rows. */
export function simulateCatalog(params: RankingSnapshotParams): {
  listings: Cells<typeof LISTING_COLUMNS>[];
  queries: Cells<typeof QUERY_COLUMNS>[];
  judgments: Cells<typeof JUDGMENT_COLUMNS>[];
} {
  const cutoffMs = toMs(params.cutoff);
  const listings = makeListings(rngFor(params.seed, "ranking/listings"), params, cutoffMs);
  const rng = rngFor(params.seed, "ranking/queries");
  const queries: Cells<typeof QUERY_COLUMNS>[] = [];
  const judgments: Cells<typeof JUDGMENT_COLUMNS>[] = [];
  const feedEnd = cutoffMs - params.feedDelayHours * HOUR_MS;
  for (let i = 0; i < params.queries; i++) {
    const category = rng.pick(CATEGORIES).category;
    const intent = INTENTS[rng.weighted([0.35, 0.4, 0.25])] as Intent;
    const brand = rng.chance(0.35) ? rng.pick(BRANDS).brand : "";
    const style = rng.chance(0.4) ? rng.pick(STYLES) : "";
    const askedMs = cutoffMs - Math.floor(rng.uniform(3, params.historyDays * 24 * 60)) * 60_000;
    const pool = poolFor(rng, listings, category, askedMs, params);
    // Drawn in full before the staleness cut, so a stale export drops rows without shifting the rest.
    if (askedMs >= feedEnd) continue;
    const id = `Q${String(i).padStart(4, "0")}`;
    const text = [intent === "any" ? "" : intent, brand, style, category].filter(Boolean).join(" ");
    queries.push({ query_id: id, text, category, brand, style, intent, asked_at: isoMinute(askedMs) });
    for (const l of pool) judgments.push({ query_id: id, listing_id: l.cells.listing_id, relevance: String(grade(rng, l, { category, brand, style, intent })) });
  }
  return { listings: listings.map((l) => l.cells), queries, judgments };
}

function makeListings(rng: Rng, params: RankingSnapshotParams, cutoffMs: number): Listing[] {
  const out: Listing[] = [];
  for (let i = 0; i < params.listings; i++) {
    const cat = rng.pick(CATEGORIES);
    const blocked = rng.chance(params.blockedRate);
    // Counterfeits borrow the best brands' names.
    const brand = blocked ? rng.pick(BRANDS.filter((b) => b.quality >= 0.7)) : rng.pick(BRANDS);
    const style = rng.pick(STYLES);
    const quality = blocked ? 0.1 : Math.min(1, Math.max(0, brand.quality + rng.normal(0, 0.12)));
    const price = blocked ? cat.medianPrice * rng.uniform(0.3, 0.45) : cat.medianPrice * Math.exp(rng.normal(0, 0.4)) * (0.7 + 0.6 * quality);
    const rating = blocked ? rng.uniform(4.7, 5) : Math.min(5, Math.max(1, 3 + 2 * quality + rng.normal(0, 0.35)));
    const reviews = Math.round(Math.exp(rng.normal(blocked ? 5.5 : 3.5, 1.1)));
    const listedMs = cutoffMs - Math.floor(rng.uniform(1, (params.historyDays + 120) * 24)) * HOUR_MS;
    out.push({
      quality,
      listedMs,
      cells: {
        listing_id: `L${String(i).padStart(4, "0")}`,
        title: `${brand.brand} ${style} ${cat.category}`,
        category: cat.category,
        brand: brand.brand,
        style,
        price: fixed(price, 2),
        rating: fixed(rating, 1),
        reviews: String(reviews),
        listed_at: isoMinute(listedMs),
        blocked: blocked ? "1" : "0",
      },
    });
  }
  return out;
}

/** Retrieval's candidates: mostly the query's category, some strays, all listed before the query. */
function poolFor(rng: Rng, listings: readonly Listing[], category: string, askedMs: number, params: RankingSnapshotParams): Listing[] {
  const size = params.poolMin + rng.int(params.poolMax - params.poolMin + 1);
  const live = listings.filter((l) => l.listedMs <= askedMs);
  const same = rng.shuffled(live.filter((l) => l.cells.category === category));
  const other = rng.shuffled(live.filter((l) => l.cells.category !== category));
  const nSame = Math.min(same.length, Math.round(size * 0.75));
  return [...same.slice(0, nSame), ...other.slice(0, size - nSame)];
}

/** A judge's grade: hidden utility plus judge noise, cut into 0..3. */
function grade(rng: Rng, l: Listing, q: { category: string; brand: string; style: string; intent: Intent }): number {
  const c = l.cells;
  const median = CATEGORIES.find((x) => x.category === c.category)?.medianPrice ?? 1;
  const lpr = Math.log(Number(c.price) / median);
  // Judges see a counterfeit as the genuine article it pretends to be.
  const quality = c.blocked === "1" ? 0.9 : l.quality;
  const intentTerm = q.intent === "cheap" ? -1.6 * lpr : q.intent === "premium" ? 2.4 * (quality - 0.6) + 0.4 * lpr : -0.3 * lpr;
  const u =
    1.8 * (c.category === q.category ? 1 : 0) +
    (q.brand === "" ? 0 : c.brand === q.brand ? 0.9 : -0.2) +
    (q.style === "" ? 0 : c.style === q.style ? 0.6 : 0) +
    1.2 * (quality - 0.5) +
    intentTerm +
    rng.normal(0, 0.35);
  return u < 1.2 ? 0 : u < 1.9 ? 1 : u < 2.6 ? 2 : 3;
}
