/**
 * Evaluation metrics, written out so each one is a few auditable lines and
 * unit-tested on hand-checked examples. No maintained JS package covers this
 * set (recall, AUC, ECE, NDCG, MAE) without pulling in a dataframe stack.
 */

/** Counts of a binary decision against labels. */
export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/** Confusion counts of `score >= threshold` against `labels` (1 = positive). */
export function confusion(labels: readonly number[], scores: readonly number[], threshold: number): Confusion {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  labels.forEach((y, i) => {
    const flagged = (scores[i] ?? Number.NaN) >= threshold;
    if (y === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  });
  return { tp, fp, tn, fn };
}

/** tp / (tp + fn); NaN when there are no positives (a slice with nothing to find). */
export function recall(c: Confusion): number {
  return c.tp + c.fn === 0 ? Number.NaN : c.tp / (c.tp + c.fn);
}

/** tp / (tp + fp); NaN when nothing was flagged. */
export function precision(c: Confusion): number {
  return c.tp + c.fp === 0 ? Number.NaN : c.tp / (c.tp + c.fp);
}

/** Harmonic mean of precision and recall; 0 when either is 0 or undefined. */
export function f1(c: Confusion): number {
  const p = precision(c), r = recall(c);
  return Number.isFinite(p) && Number.isFinite(r) && p + r > 0 ? (2 * p * r) / (p + r) : 0;
}

/** (tp + tn) / n. */
export function accuracy(c: Confusion): number {
  const n = c.tp + c.fp + c.tn + c.fn;
  return n === 0 ? Number.NaN : (c.tp + c.tn) / n;
}

/**
 * Area under the ROC curve as the Mann-Whitney statistic: the chance a random
 * positive outscores a random negative, ties counting half.
 */
export function auc(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0, pos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++;
    const avgRank = (i + j) / 2 + 1; // 1-based average rank of the tie block
    for (let k = i; k <= j; k++) {
      if (labels[(order[k] as readonly [number, number])[1]] === 1) {
        rankSumPos += avgRank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Mean binary cross-entropy of probabilities, clipped away from 0 and 1. */
export function logLoss(labels: readonly number[], probs: readonly number[]): number {
  let s = 0;
  labels.forEach((y, i) => {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, probs[i] ?? 0.5));
    s -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
  });
  return labels.length === 0 ? Number.NaN : s / labels.length;
}

/**
 * Expected calibration error over `bins` equal-width probability bins: the
 * row-weighted mean gap between predicted probability and observed rate.
 */
export function ece(labels: readonly number[], probs: readonly number[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  labels.forEach((y, i) => {
    const p = probs[i] ?? 0;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b] = (count[b] ?? 0) + 1;
    conf[b] = (conf[b] ?? 0) + p;
    hits[b] = (hits[b] ?? 0) + y;
  });
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const n = count[b] ?? 0;
    if (n > 0) total += n * Math.abs((hits[b] ?? 0) / n - (conf[b] ?? 0) / n);
  }
  return labels.length === 0 ? Number.NaN : total / labels.length;
}

/** Discounted cumulative gain of graded relevances in ranked order, gain 2^rel - 1. */
export function dcg(relevances: readonly number[], k: number): number {
  let s = 0;
  relevances.slice(0, k).forEach((rel, i) => {
    s += (2 ** rel - 1) / Math.log2(i + 2);
  });
  return s;
}

/**
 * NDCG@k of a ranked list against every judged relevance of the query (the
 * ideal ordering may use items the ranking left out). 0 when nothing is relevant.
 */
export function ndcgAt(rankedRelevances: readonly number[], allRelevances: readonly number[], k: number): number {
  const ideal = dcg([...allRelevances].sort((a, b) => b - a), k);
  return ideal === 0 ? 0 : dcg(rankedRelevances, k) / ideal;
}

/** Mean absolute error. */
export function mae(actual: readonly number[], predicted: readonly number[]): number {
  if (actual.length === 0) return Number.NaN;
  let s = 0;
  actual.forEach((a, i) => {
    s += Math.abs(a - (predicted[i] ?? Number.NaN));
  });
  return s / actual.length;
}

/** Value at quantile `q` (nearest rank on a sorted copy); NaN for an empty list. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx] as number;
}
