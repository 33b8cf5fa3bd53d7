/**
 * The production SLO rule: smooth the live metric with a rolling mean of W
 * windows, and fire only when N rolling values in a row sit on the wrong side
 * of the floor. One bad window is noise; a sustained slide is an incident.
 */
import type { Direction } from "../../contracts/index.js";

/** The parameters of the rule (a `ProductionSlo` without its metric name). */
export interface SloRule {
  /** A floor for `higher` metrics, a ceiling for `lower` ones. */
  readonly floor: number;
  readonly direction: Direction;
  /** W: values in each rolling mean. */
  readonly window: number;
  /** N: consecutive breaching rolling means before the rule fires. */
  readonly consecutive: number;
}

/** The rule applied to a series, index by index. */
export interface SloEvaluation {
  /** Mean of values [i − W + 1, i]; undefined for the first W − 1 indexes. */
  readonly rolling: readonly (number | undefined)[];
  /** Length of the breaching run ending at each index (0 where there is none). */
  readonly run: readonly number[];
  /** The first index at which the run reaches N; undefined if it never does. */
  readonly fireIndex: number | undefined;
  /** The longest breaching run seen, for evidence when nothing fired. */
  readonly longestRun: number;
}

/**
 * Rolling means over `window` values. Each mean is summed afresh rather than
 * by a running sum, so float error cannot accumulate over a long series.
 */
export function rollingMeans(values: readonly number[], window: number): (number | undefined)[] {
  return values.map((_, i) => {
    if (i < window - 1) return undefined;
    let sum = 0;
    for (let j = i - window + 1; j <= i; j++) sum += values[j]!;
    return sum / window;
  });
}

/**
 * True when a rolling value breaches the bound. The comparison is strict with
 * a tolerance of 1e-9 × max(1, |floor|): a mean that equals the floor in exact
 * arithmetic (0.91 − 0.006·5 = 0.88) may land a hair either side in floating
 * point, and sitting on the floor is not below it.
 */
export function breaches(value: number, rule: Pick<SloRule, "floor" | "direction">): boolean {
  const tolerance = 1e-9 * Math.max(1, Math.abs(rule.floor));
  return rule.direction === "higher" ? value < rule.floor - tolerance : value > rule.floor + tolerance;
}

/**
 * Applies the rule to a series in time order. The fire index is where the
 * N-th consecutive breach lands, i.e. the earliest index at which someone
 * watching the series live would have been paged.
 */
export function evaluateSlo(values: readonly number[], rule: SloRule): SloEvaluation {
  const rolling = rollingMeans(values, rule.window);
  const run: number[] = [];
  let fireIndex: number | undefined;
  let longestRun = 0;
  for (const [i, mean] of rolling.entries()) {
    const current = mean !== undefined && breaches(mean, rule) ? (run[i - 1] ?? 0) + 1 : 0;
    run.push(current);
    longestRun = Math.max(longestRun, current);
    if (current >= rule.consecutive && fireIndex === undefined) fireIndex = i;
  }
  return { rolling, run, fireIndex, longestRun };
}
