/**
 * The ranking project's pure parts: the slate policy (eligibility first,
 * rerank depth, brand cap, backfill), the pairwise ranker and the modelled
 * latency.
 */
import { describe, expect, test } from "vitest";
import { fitPairwise, preferencePairs, scoreLinear } from "../../stages/lib/pairwise-ranker.js";
import { queryLatencyMs } from "../../projects/ranking/scoring-latency.js";
import { buildSlate, ruleOf, slatePolicy, type Candidate } from "../../projects/ranking/slate-policy.js";

const cand = (id: string, brand: string, rank: number, score: number, blocked = false): Candidate => ({ listingId: id, brand, blocked, retrievalRank: rank, score });

describe("slate policy", () => {
  const rule = { topK: 3, maxPerBrand: 1, rerankDepth: 10, excludeBlocked: true };

  test("never shows a blocked listing, however well it scores", () => {
    const { slate, blockedRemoved } = buildSlate([cand("fake", "a", 1, 99, true), cand("x", "b", 2, 1), cand("y", "c", 3, 2)], rule);
    expect(slate.map((c) => c.listingId)).toEqual(["y", "x"]);
    expect(blockedRemoved).toBe(1);
  });

  test("caps a brand, then backfills a short slate in order", () => {
    const pool = [cand("a1", "a", 1, 9), cand("a2", "a", 2, 8), cand("b1", "b", 3, 7), cand("a3", "a", 4, 6)];
    expect(buildSlate(pool, rule).slate.map((c) => c.listingId)).toEqual(["a1", "b1", "a2"]);
  });

  test("re-scores only the first rerank_depth eligible candidates", () => {
    const pool = [cand("r1", "a", 1, 0), cand("r2", "b", 2, 5), cand("r3", "c", 3, 100)];
    const { slate, scored } = buildSlate(pool, { ...rule, rerankDepth: 2 });
    expect(scored).toBe(2);
    expect(slate.map((c) => c.listingId)).toEqual(["r2", "r1", "r3"]);
  });

  test("a released policy round-trips to its rule with eligibility on", () => {
    expect(ruleOf(slatePolicy({ topK: 10, maxPerBrand: 3, rerankDepth: 30 }, "test"))).toEqual({ topK: 10, maxPerBrand: 3, rerankDepth: 30, excludeBlocked: true });
  });
});

describe("pairwise ranker", () => {
  test("learns to put the more relevant row first and its loss goes down", () => {
    // Relevance follows feature 0; feature 1 is noise.
    const x = [[2, 0.3], [1, -0.5], [0, 0.9], [-1, 0.1], [1.5, -0.2], [-0.5, 0.4]];
    const rel = [3, 2, 1, 0, 3, 0];
    const pairs = preferencePairs(["q", "q", "q", "q", "r", "r"], rel, 100, 1);
    expect(pairs).toHaveLength(7);
    const fit = fitPairwise(x, pairs, { learningRate: 0.5, epochs: 50, l2: 0 });
    expect(fit.lossCurve.at(-1)).toBeLessThan(fit.lossCurve[0] as number);
    expect(fit.weights[0]).toBeGreaterThan(Math.abs(fit.weights[1] as number));
    expect(scoreLinear(fit.weights, [2, 0])).toBeGreaterThan(scoreLinear(fit.weights, [0, 0]));
  });

  test("samples the same pairs for the same seed", () => {
    const groups = Array.from({ length: 30 }, () => "q");
    const rel = groups.map((_, i) => i % 4);
    expect(preferencePairs(groups, rel, 20, 7)).toEqual(preferencePairs(groups, rel, 20, 7));
    expect(preferencePairs(groups, rel, 20, 7)).toHaveLength(20);
  });
});

test("modelled latency grows with pool, rerank depth and feature count", () => {
  const m = { overheadMs: 4, perCandidateMs: 0.02, perFeatureMs: 0.05 };
  expect(queryLatencyMs(50, 30, 9, m)).toBeCloseTo(4 + 1 + 13.5, 12);
  expect(queryLatencyMs(70, 70, 9, m)).toBeGreaterThan(25);
});
