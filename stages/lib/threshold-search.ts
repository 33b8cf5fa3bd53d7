/**
 * Picks a decision threshold by expected cost on a validation split: the
 * action policy's number is chosen by the business cost of each error, not
 * left at 0.5.
 */
import { confusion } from "./metrics.js";

/** Costs of the two errors, per row. */
export interface ErrorCosts {
  /** Cost of missing a positive (a late delivery with no warning). */
  readonly missed: number;
  /** Cost of flagging a negative (a needless warning). */
  readonly falseAlarm: number;
}

/** Mean cost per row of `score >= threshold`. */
export function costAt(labels: readonly number[], scores: readonly number[], threshold: number, costs: ErrorCosts): number {
  const c = confusion(labels, scores, threshold);
  return labels.length === 0 ? Number.NaN : (c.fn * costs.missed + c.fp * costs.falseAlarm) / labels.length;
}

/**
 * The cheapest threshold on a 0.01 grid in [0.01, 0.99]; ties go to the
 * lowest threshold (warn more when it costs nothing extra).
 */
export function cheapestThreshold(labels: readonly number[], scores: readonly number[], costs: ErrorCosts): { threshold: number; cost: number } {
  let best = { threshold: 0.5, cost: Number.POSITIVE_INFINITY };
  for (let k = 1; k <= 99; k++) {
    const t = k / 100;
    const cost = costAt(labels, scores, t, costs);
    if (cost < best.cost - 1e-12) best = { threshold: t, cost };
  }
  return best;
}
