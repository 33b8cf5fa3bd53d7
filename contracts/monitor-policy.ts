/**
 * The monitor-policy contract, one per project. The schemas are exported one
 * by one so the registry can embed them in `contracts/promotion_policy.json`
 * (they avoid transforms, so `z.toJSONSchema` renders them).
 */
import { z } from "zod";
import { Name, Rate } from "./live-window.js";

/** Which way a metric is better: `higher` (recall, NDCG) or `lower` (MAE, cost). */
export const Direction = z.enum(["higher", "lower"]);
/** Which way a metric is better. */
export type Direction = z.infer<typeof Direction>;

/**
 * Checks run on every canary window as soon as it arrives; one failure aborts
 * the canary. Only the checks a project names are run, and a window that
 * omits a data-health figure its policy names fails that check.
 */
export const ImmediateChecks = z.strictObject({
  /** Highest tolerated errors / requests in one window. */
  maxErrorRate: Rate.optional(),
  /** Highest tolerated p99 latency in milliseconds. */
  maxP99LatencyMs: z.number().positive().optional(),
  /** Highest tolerated freshness lag in minutes (ETA scans, forecast counts). */
  maxFreshnessLagMinutes: z.number().nonnegative().optional(),
  /** Lowest tolerated candidate supply (ranking). */
  minCandidateSupply: z.number().nonnegative().optional(),
  /** Lowest tolerated usable-image rate (vision). */
  minUsableImageRate: Rate.optional(),
});
/** Checks run on every canary window as it arrives. */
export type ImmediateChecks = z.infer<typeof ImmediateChecks>;

/**
 * Delayed quality: the canary may be promoted only once at least
 * `minLabelled` outcomes across at least `minWindows` labelled windows exist,
 * and then only if its label-weighted metric clears production's.
 */
export const DelayedQuality = z.strictObject({
  /** The quality metric compared, as named in `outcomes.metrics`. */
  metric: Name,
  direction: Direction,
  /** Labelled outcomes needed across the canary's windows. */
  minLabelled: z.int().positive(),
  /** Windows with labels needed (K), so one lucky window cannot promote. */
  minWindows: z.int().positive(),
  /**
   * `non-inferior`: canary may trail production by at most `margin`;
   * `superior`: canary must beat production by more than `margin`.
   */
  comparison: z.enum(["non-inferior", "superior"]).default("non-inferior"),
  /** Margin in the metric's own units, never negative. */
  margin: z.number().nonnegative(),
});
/** Delayed-quality criteria for promotion. */
export type DelayedQuality = z.infer<typeof DelayedQuality>;

/**
 * How long a canary may wait for labels before it is aborted for
 * `insufficient_evidence`: a count of canary windows, or hours since the
 * canary opened.
 */
export const PauseDeadline = z.union([
  z.strictObject({ windows: z.int().positive() }),
  z.strictObject({ hours: z.number().positive() }),
]);
/** How long a canary may pause for labels. */
export type PauseDeadline = z.infer<typeof PauseDeadline>;

/** Everything the canary controller decides by. */
export const CanaryCriteria = z.strictObject({
  immediate: ImmediateChecks,
  delayed: DelayedQuality,
  pauseDeadline: PauseDeadline,
});
/** Everything the canary controller decides by. */
export type CanaryCriteria = z.infer<typeof CanaryCriteria>;

/**
 * Production SLO: fires after `consecutive` (N) rolling means of `window` (W)
 * labelled windows in a row fall on the wrong side of `floor`.
 */
export const ProductionSlo = z.strictObject({
  /** The live primary metric, as named in `outcomes.metrics`. */
  metric: Name,
  direction: Direction,
  /** The bound: a floor for `higher` metrics, a ceiling for `lower` ones. */
  floor: z.number(),
  /** W: windows in each rolling mean. */
  window: z.int().positive(),
  /** N: consecutive breaching rolling means before the SLO fires. */
  consecutive: z.int().positive(),
});
/** Production SLO. */
export type ProductionSlo = z.infer<typeof ProductionSlo>;

/** A project-specific event counter whose spike rolls production back (or aborts a canary). */
export const RollbackEvent = z.strictObject({
  /** Counter name, as in a window's `events`. */
  counter: Name,
  /** Fires when one window counts more than this. */
  maxPerWindow: z.int().nonnegative(),
});
/** A rollback-signal counter and its per-window limit. */
export type RollbackEvent = z.infer<typeof RollbackEvent>;

/** Drift: PSI of live distributions against the release's reference ones. */
export const DriftPolicy = z
  .strictObject({
    /** Features (or scores) whose distributions are compared. */
    features: z.array(Name).min(1),
    /** PSI at or above this warns (commonly 0.1). */
    warnPsi: z.number().positive(),
    /** PSI at or above this triggers retraining (commonly 0.25). */
    actPsi: z.number().positive(),
  })
  .check((ctx) => {
    if (ctx.value.actPsi <= ctx.value.warnPsi) {
      ctx.issues.push({ code: "custom", message: "actPsi must be above warnPsi", input: ctx.value, path: ["actPsi"] });
    }
  });
/** Drift thresholds. */
export type DriftPolicy = z.infer<typeof DriftPolicy>;

/** A project's whole monitor policy. */
export const MonitorPolicy = z
  .strictObject({
    project: Name,
    canary: CanaryCriteria,
    slo: ProductionSlo,
    rollbackEvents: z.array(RollbackEvent).default([]),
    drift: DriftPolicy.optional(),
  })
  .check((ctx) => {
    const seen = new Set<string>();
    for (const [i, event] of ctx.value.rollbackEvents.entries()) {
      if (seen.has(event.counter)) {
        ctx.issues.push({ code: "custom", message: `counter ${event.counter} is listed twice`, input: event, path: ["rollbackEvents", i, "counter"] });
      }
      seen.add(event.counter);
    }
  });
/** A project's whole monitor policy (the parsed form, defaults filled). */
export type MonitorPolicy = z.infer<typeof MonitorPolicy>;
/** A monitor policy as written in JSON, before defaults. */
export type MonitorPolicyInput = z.input<typeof MonitorPolicy>;
