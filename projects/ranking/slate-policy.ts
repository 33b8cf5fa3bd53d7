/**
 * The action policy of the ranker: eligibility, then the slate rule.
 *
 *   retrieved pool --eligibility (blocked never shown)--> eligible
 *     --rerank the first `rerank_depth` by model score--> ordered
 *     --top `top_k`, at most `max_per_brand` per brand--> slate
 *
 * Eligibility comes first and does not depend on the model: a blocked
 * listing is out whatever it scores. Only the first `rerank_depth` eligible
 * candidates (in retrieval order) are scored, which is what bounds serving
 * latency; the rest keep their retrieval order behind them.
 */
import type { ActionPolicy } from "../../stages/lib/schemas.js";

/** The numbers and switches of a slate policy. */
export interface SlateRule {
  readonly topK: number;
  readonly maxPerBrand: number;
  readonly rerankDepth: number;
  /** Always true in a released policy; false only to measure what eligibility prevents. */
  readonly excludeBlocked: boolean;
}

/** One retrieved candidate of a query. */
export interface Candidate {
  readonly listingId: string;
  readonly brand: string;
  readonly blocked: boolean;
  /** 1-based position in retrieval order. */
  readonly retrievalRank: number;
  /** Model score (used only within the rerank depth). */
  readonly score: number;
}

/** A query's slate and what it cost to build. */
export interface Slate {
  readonly slate: Candidate[];
  /** Candidates the model scored (drives latency). */
  readonly scored: number;
  /** Blocked candidates eligibility removed. */
  readonly blockedRemoved: number;
}

/** Builds the slate of one query's pool under `rule`. */
export function buildSlate(pool: readonly Candidate[], rule: SlateRule): Slate {
  const byRetrieval = [...pool].sort((a, b) => a.retrievalRank - b.retrievalRank);
  const eligible = rule.excludeBlocked ? byRetrieval.filter((c) => !c.blocked) : byRetrieval;
  const scored = Math.min(rule.rerankDepth, eligible.length);
  const head = eligible.slice(0, scored).sort((a, b) => b.score - a.score || a.retrievalRank - b.retrievalRank);
  const ordered = [...head, ...eligible.slice(scored)];
  const slate: Candidate[] = [];
  const skipped: Candidate[] = [];
  const perBrand = new Map<string, number>();
  for (const c of ordered) {
    if (slate.length === rule.topK) break;
    const n = perBrand.get(c.brand) ?? 0;
    if (n >= rule.maxPerBrand) {
      skipped.push(c);
      continue;
    }
    perBrand.set(c.brand, n + 1);
    slate.push(c);
  }
  // A short slate is backfilled in order: diversity is a preference, an empty slot is worse.
  for (const c of skipped) if (slate.length < rule.topK) slate.push(c);
  return { slate, scored, blockedRemoved: byRetrieval.length - eligible.length };
}

/** The released policy for a slate rule. */
export function slatePolicy(rule: Omit<SlateRule, "excludeBlocked">, chosenBy: string): ActionPolicy {
  return {
    id: "slate_v1",
    kind: "slate_rule",
    thresholds: { top_k: rule.topK, max_per_brand: rule.maxPerBrand, rerank_depth: rule.rerankDepth },
    rules: {
      eligibility: "exclude_blocked",
      order: "model score within rerank_depth eligible candidates, retrieval order after",
      diversity: "at most max_per_brand listings of one brand in the slate; backfill when short",
    },
    chosen_by: chosenBy,
  };
}

/** The slate rule a released policy describes. Missing numbers fall back to the strictest reading. */
export function ruleOf(policy: ActionPolicy): SlateRule {
  return {
    topK: policy.thresholds["top_k"] ?? 10,
    maxPerBrand: policy.thresholds["max_per_brand"] ?? 1,
    rerankDepth: policy.thresholds["rerank_depth"] ?? 0,
    excludeBlocked: policy.rules["eligibility"] === "exclude_blocked",
  };
}
