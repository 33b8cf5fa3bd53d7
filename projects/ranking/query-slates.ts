/**
 * Applies a slate rule to every query of a feature table and measures the
 * result: NDCG@10 of the slate against the query's eligible judgments (a
 * blocked listing is never the ideal answer), blocked exposure, and the work
 * scoring took. Shared by train (valid split) and evaluate (test split).
 */
import { ndcgAt } from "../../stages/lib/metrics.js";
import { buildSlate, type Candidate, type SlateRule } from "./slate-policy.js";

/** NDCG cut-off of the primary metric (the gate is `ndcg_at_10`). */
export const NDCG_K = 10;

/** One query's outcome under a slate rule. */
export interface QueryOutcome {
  readonly queryId: string;
  readonly category: string;
  readonly intent: string;
  readonly ndcg: number;
  readonly poolSize: number;
  readonly scored: number;
  /** Blocked listings shown in the slate. */
  readonly blockedShown: number;
  /** Largest number of slate items sharing a brand. */
  readonly maxPerBrand: number;
  /** Slate rows (indices into the table), in slate order. */
  readonly slateRows: number[];
}

/** Outcomes of every query in `rows` (already filtered to one split), in query id order. */
export function querySlates(rows: readonly Record<string, string>[], scores: readonly number[], rule: SlateRule): QueryOutcome[] {
  const byQuery = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const q = r["query_id"] ?? "";
    const list = byQuery.get(q);
    if (list) list.push(i);
    else byQuery.set(q, [i]);
  });
  return [...byQuery.keys()].sort().map((queryId) => {
    const idx = byQuery.get(queryId) as number[];
    const pool: (Candidate & { row: number })[] = idx.map((i) => ({
      row: i,
      listingId: rows[i]?.["listing_id"] ?? "",
      brand: rows[i]?.["brand"] ?? "",
      blocked: rows[i]?.["blocked"] === "1",
      retrievalRank: Number(rows[i]?.["retrieval_rank"]),
      score: scores[i] ?? Number.NEGATIVE_INFINITY,
    }));
    const { slate, scored } = buildSlate(pool, rule);
    const slateRows = slate.map((c) => (c as Candidate & { row: number }).row);
    const rel = (i: number): number => Number(rows[i]?.["relevance"]);
    const eligibleRel = idx.filter((i) => rows[i]?.["blocked"] !== "1").map(rel);
    const brands = new Map<string, number>();
    for (const c of slate) brands.set(c.brand, (brands.get(c.brand) ?? 0) + 1);
    const first = rows[idx[0] as number] ?? {};
    return {
      queryId,
      category: first["category"] ?? "",
      intent: first["intent"] ?? "",
      ndcg: ndcgAt(slateRows.map(rel), eligibleRel, NDCG_K),
      poolSize: idx.length,
      scored,
      blockedShown: slate.filter((c) => c.blocked).length,
      maxPerBrand: Math.max(0, ...brands.values()),
      slateRows,
    };
  });
}

/** Mean NDCG over outcomes (0 for none). */
export function meanNdcg(outcomes: readonly QueryOutcome[]): number {
  return outcomes.length === 0 ? 0 : outcomes.reduce((s, o) => s + o.ndcg, 0) / outcomes.length;
}
