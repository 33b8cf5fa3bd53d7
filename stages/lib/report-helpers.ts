/**
 * Small builders for evaluation reports: calibration bins, reference
 * histograms, and NaN-free metric records (JSON has no NaN).
 */
import type { EvaluationReport } from "./schemas.js";
import { round } from "./numbers.js";

/** Metrics with non-finite values turned into null and the rest rounded. */
export function cleanMetrics(metrics: Readonly<Record<string, number>>, digits = 6): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of Object.keys(metrics).sort()) {
    const v = metrics[key] as number;
    out[key] = Number.isFinite(v) ? round(v, digits) : null;
  }
  return out;
}

/** Like {@link cleanMetrics} but drops non-finite values (for the flat record the registry keeps). */
export function finiteMetrics(metrics: Readonly<Record<string, number>>, digits = 6): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(metrics).sort()) {
    const v = metrics[key] as number;
    if (Number.isFinite(v)) out[key] = round(v, digits);
  }
  return out;
}

/** Reliability bins of probabilities against labels. */
export function calibrationBins(labels: readonly number[], probs: readonly number[], bins = 10): NonNullable<EvaluationReport["calibration"]>["bins"] {
  const out = [];
  for (let b = 0; b < bins; b++) {
    const lo = b / bins, hi = (b + 1) / bins;
    let n = 0, p = 0, y = 0;
    probs.forEach((pr, i) => {
      const idx = Math.min(bins - 1, Math.max(0, Math.floor(pr * bins)));
      if (idx !== b) return;
      n++;
      p += pr;
      y += labels[i] ?? 0;
    });
    out.push({ lo: round(lo, 2), hi: round(hi, 2), count: n, mean_prob: n ? round(p / n, 6) : null, rate: n ? round(y / n, 6) : null });
  }
  return out;
}

/**
 * Counts of values per bucket, in the live-window distribution shape
 * (`edges` from the lowest to the highest bound, bucket i = [edges[i],
 * edges[i+1])), so monitoring compares a live window with this reference
 * over the same buckets. Values outside the bounds count in the outermost
 * bucket: drift past the range still shows, in the bucket nearest to it.
 */
export function histogram(values: readonly number[], edges: readonly number[]): { edges: number[]; counts: number[] } {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    const upper = edges.findIndex((e, i) => i > 0 && v < e);
    const b = upper === -1 ? counts.length - 1 : Math.max(0, upper - 1);
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return { edges: edges.map((e) => round(e, 6)), counts };
}

/** Ten equal buckets over [0, 1], for probabilities and scores. */
export const SCORE_EDGES: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
