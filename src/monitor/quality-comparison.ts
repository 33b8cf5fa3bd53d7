/**
 * Delayed quality of a canary against production. The preferred baseline is
 * production's own labelled windows over the same period (same traffic, same
 * label delay); production's recorded evaluation metric is the fallback when
 * those are too few to trust.
 */
import type { Evidence } from "./decision.js";
import type { DelayedQuality, LiveWindow } from "../../contracts/index.js";
import { windowKey } from "./live-window.js";

/** Production's figure for the delayed metric and where it came from. */
export interface Baseline {
  readonly value: number;
  readonly source: "live" | "recorded";
  /** Production windows behind a live baseline (empty for a recorded one). */
  readonly windows: readonly LiveWindow[];
  readonly labelled: number;
}

/**
 * Label-weighted production metric over windows overlapping the canary's
 * labelled span, if they hold at least `minLabelled` outcomes (the same bar
 * the canary must clear); else the recorded metric; else undefined.
 */
export function productionBaseline(
  delayed: DelayedQuality,
  canaryWindows: readonly LiveWindow[],
  productionWindows: readonly LiveWindow[],
  recorded: Readonly<Record<string, number>>,
): Baseline | undefined {
  const from = Math.min(...canaryWindows.map((w) => Date.parse(w.start)));
  const to = Math.max(...canaryWindows.map((w) => Date.parse(w.end)));
  const overlapping = productionWindows.filter(
    (w) =>
      Date.parse(w.start) < to &&
      Date.parse(w.end) > from &&
      w.outcomes.labelled > 0 &&
      w.outcomes.metrics[delayed.metric] !== undefined,
  );
  const labelled = overlapping.reduce((sum, w) => sum + w.outcomes.labelled, 0);
  if (labelled >= delayed.minLabelled) {
    const weighted = overlapping.reduce((sum, w) => sum + w.outcomes.metrics[delayed.metric]! * w.outcomes.labelled, 0);
    return { value: weighted / labelled, source: "live", windows: overlapping, labelled };
  }
  const value = recorded[delayed.metric];
  return value === undefined ? undefined : { value, source: "recorded", windows: [], labelled: 0 };
}

/** Whether the canary passed, with the figures that decided it. */
export interface QualityVerdict {
  readonly pass: boolean;
  readonly evidence: Evidence;
}

/**
 * Compares the canary's label-weighted metric with the baseline. `advantage`
 * is how much better the canary is in the metric's good direction;
 * non-inferior passes at advantage ≥ −margin, superior at advantage > margin
 * (both up to float tolerance).
 */
export function qualityVerdict(
  delayed: DelayedQuality,
  canaryValue: number,
  canaryLabelled: number,
  canaryWindows: readonly LiveWindow[],
  baseline: Baseline,
): QualityVerdict {
  const sign = delayed.direction === "higher" ? 1 : -1;
  const advantage = sign * (canaryValue - baseline.value);
  // A difference that equals the margin in exact arithmetic (0.92 − 0.91 vs
  // 0.01) lands a hair either side in floating point; treat it as equal.
  const tolerance = 1e-9 * Math.max(1, Math.abs(baseline.value));
  const pass =
    delayed.comparison === "superior" ? advantage > delayed.margin + tolerance : advantage >= -delayed.margin - tolerance;
  return {
    pass,
    evidence: {
      rule: `canary.delayed.${delayed.comparison}`,
      windows: [...canaryWindows, ...baseline.windows].map(windowKey),
      baseline: baseline.source,
      figures: {
        canaryMetric: canaryValue,
        productionMetric: baseline.value,
        advantage,
        margin: delayed.margin,
        labelled: canaryLabelled,
        labelledWindows: canaryWindows.length,
        productionLabelled: baseline.labelled,
      },
    },
  };
}
