/**
 * The evaluation metrics on examples small enough to check by hand.
 */
import { describe, expect, test } from "vitest";
import { auc, confusion, dcg, ece, mae, ndcgAt, recall } from "../../stages/lib/metrics.js";

describe("metrics", () => {
  test("recall counts found positives over all positives, NaN with none", () => {
    // labels 1,1,1,0 ; flagged at 0.5: rows 0 and 3 -> tp 1, fn 2, fp 1
    const c = confusion([1, 1, 1, 0], [0.9, 0.2, 0.4, 0.7], 0.5);
    expect(c).toEqual({ tp: 1, fp: 1, tn: 0, fn: 2 });
    expect(recall(c)).toBeCloseTo(1 / 3, 12);
    expect(recall(confusion([0, 0], [0.9, 0.1], 0.5))).toBeNaN();
  });

  test("NDCG@k divides the ranking's DCG by the ideal DCG over every judged item", () => {
    // ranked [3, 2, 0]: (7/1) + (3/log2 3) + 0 ; ideal [3, 3, 2]: 7 + 7/log2 3 + 3/2
    const got = ndcgAt([3, 2, 0], [3, 2, 0, 3], 3);
    const want = (7 + 3 / Math.log2(3)) / (7 + 7 / Math.log2(3) + 3 / 2);
    expect(got).toBeCloseTo(want, 12);
    expect(ndcgAt([3, 3, 2], [2, 3, 3], 3)).toBeCloseTo(1, 12);
    expect(dcg([1, 1], 1)).toBe(1);
    expect(ndcgAt([0, 0], [0, 0], 10)).toBe(0);
  });

  test("MAE is the mean absolute error", () => {
    expect(mae([10, 20, 30], [12, 17, 30])).toBeCloseTo(5 / 3, 12);
    expect(mae([], [])).toBeNaN();
  });

  test("ECE weights each bin's |accuracy - confidence| by its share of rows", () => {
    // bin 0.1-0.2: p 0.1, 0.1 -> observed 0 -> gap 0.1 ; bin 0.9-1.0: p 0.9, 0.9 -> observed 0.5 -> gap 0.4
    expect(ece([0, 0, 1, 0], [0.1, 0.1, 0.9, 0.9], 10)).toBeCloseTo((2 * 0.1 + 2 * 0.4) / 4, 12);
    expect(ece([1, 0], [1, 0], 10)).toBeCloseTo(0, 12);
  });

  test("AUC is the chance a positive outscores a negative, ties counting half", () => {
    expect(auc([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1])).toBe(1);
    expect(auc([0, 0, 1, 1], [0.9, 0.8, 0.3, 0.1])).toBe(0);
    // positives 0.8, 0.4 ; negatives 0.6, 0.4 -> pairs: win, win, lose, tie -> 2.5 / 4
    expect(auc([1, 1, 0, 0], [0.8, 0.4, 0.6, 0.4])).toBeCloseTo(0.625, 12);
    expect(auc([1, 1], [0.2, 0.3])).toBeNaN();
  });
});
