/**
 * The live-window contract: one JSON line per serving window, as reported by
 * whatever watches the deployed model. Field names are camelCase like the rest
 * of sluice's JSON; every count is a non-negative integer and every figure a
 * finite number, so NaN or Infinity (which `JSON.parse("1e999")` produces)
 * never reaches the maths.
 */
import { z } from "zod";

/** A name as used for projects, releases, windows, metrics, features and counters. */
export const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, "expected a name (letters, digits, _ . : -)");

const Count = z.int().nonnegative();
/** A share in [0, 1]. */
export const Rate = z.number().min(0).max(1);

/**
 * A bucketed distribution of one feature or score. `edges` has one more entry
 * than there are buckets; give either raw `counts` or `proportions` (summing
 * to 1), never both, so PSI knows which it is reading.
 */
export const Distribution = z
  .strictObject({
    /** Bucket boundaries, strictly increasing; bucket i is [edges[i], edges[i+1]). */
    edges: z.array(z.number()).min(2),
    /** Observations per bucket. */
    counts: z.array(Count).optional(),
    /** Share of observations per bucket; must sum to 1 within 1e-6. */
    proportions: z.array(Rate).optional(),
  })
  .check((ctx) => {
    const { edges, counts, proportions } = ctx.value;
    const issue = (message: string, path: string[] = []): void => {
      ctx.issues.push({ code: "custom", message, input: ctx.value, path });
    };
    for (let i = 1; i < edges.length; i++) {
      if (!(edges[i]! > edges[i - 1]!)) return issue(`edges must be strictly increasing (edges[${i}] is ${edges[i]})`, ["edges"]);
    }
    if ((counts === undefined) === (proportions === undefined)) return issue("give exactly one of counts or proportions");
    const buckets = (counts ?? proportions)!;
    const field = counts ? "counts" : "proportions";
    if (buckets.length !== edges.length - 1) {
      return issue(`${edges.length} edges make ${edges.length - 1} buckets but ${field} has ${buckets.length}`, [field]);
    }
    if (proportions) {
      const sum = proportions.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6) issue(`proportions sum to ${sum}, not 1`, ["proportions"]);
    }
  });
/** A bucketed distribution of one feature or score. */
export type Distribution = z.infer<typeof Distribution>;

/** How the service behaved during the window. */
export const ServiceHealth = z
  .strictObject({
    /** Requests served by this alias during the window. */
    requests: Count,
    /** Requests that failed; never more than `requests`. */
    errors: Count,
    /** Median latency in milliseconds. */
    p50LatencyMs: z.number().nonnegative(),
    /** 99th-percentile latency in milliseconds; never below the median. */
    p99LatencyMs: z.number().nonnegative(),
  })
  .check((ctx) => {
    const s = ctx.value;
    if (s.errors > s.requests) {
      ctx.issues.push({ code: "custom", message: `errors (${s.errors}) exceed requests (${s.requests})`, input: s, path: ["errors"] });
    }
    if (s.p99LatencyMs < s.p50LatencyMs) {
      ctx.issues.push({ code: "custom", message: `p99 (${s.p99LatencyMs}) is below p50 (${s.p50LatencyMs})`, input: s, path: ["p99LatencyMs"] });
    }
  });
/** How the service behaved during the window. */
export type ServiceHealth = z.infer<typeof ServiceHealth>;

/**
 * Health of the data feeding the model. Every field is optional because each
 * project reports only what its policy names (ETA: freshness; ranking: supply;
 * vision: usable images); the policy decides whether a missing one matters.
 */
export const DataHealth = z.strictObject({
  /** Minutes between the newest input event and the window's end (ETA scans, forecast counts). */
  freshnessLagMinutes: z.number().nonnegative().optional(),
  /** Eligible candidates available per request (ranking). */
  candidateSupply: z.number().nonnegative().optional(),
  /** Share of inputs usable by the model, in [0, 1] (vision photo quality). */
  usableImageRate: Rate.optional(),
});
/** Health of the data feeding the model. */
export type DataHealth = z.infer<typeof DataHealth>;

/**
 * Delayed outcomes: labels arrive after the window closes, so a line carries
 * the labels known when it was written. Quality metrics exist only once at
 * least one outcome is labelled.
 */
export const Outcomes = z
  .strictObject({
    /** Outcomes labelled so far for predictions served in this window. */
    labelled: Count,
    /** Quality metrics over the labelled outcomes, by name (e.g. `recall`, `mae`). */
    metrics: z.record(Name, z.number()).default({}),
  })
  .check((ctx) => {
    const { labelled, metrics } = ctx.value;
    if (labelled === 0 && Object.keys(metrics).length > 0) {
      ctx.issues.push({ code: "custom", message: "quality metrics given with no labelled outcomes", input: ctx.value, path: ["metrics"] });
    }
  });
/** Delayed outcomes for one window. */
export type Outcomes = z.infer<typeof Outcomes>;

/** One serving window of one alias of one project. */
export const LiveWindow = z
  .strictObject({
    /** Project name, e.g. `eta`. */
    project: Name,
    /** Which alias served this traffic. */
    alias: z.enum(["canary", "production"]),
    /** The release the alias pointed at; windows of other releases are ignored. */
    release: Name,
    /** Window id, unique per project and alias; decisions are keyed by it. */
    window: Name,
    /** Window start, ISO 8601 with offset. */
    start: z.iso.datetime({ offset: true }),
    /** Window end, strictly after `start`. */
    end: z.iso.datetime({ offset: true }),
    service: ServiceHealth,
    data: DataHealth.optional(),
    outcomes: Outcomes,
    /** Bucketed distributions of key features and scores, by feature name. */
    distributions: z.record(Name, Distribution).optional(),
    /** Rollback-signal counters for the window, by counter name (e.g. `stale_warning_spike`). */
    events: z.record(Name, Count).optional(),
  })
  .check((ctx) => {
    const w = ctx.value;
    if (Date.parse(w.end) <= Date.parse(w.start)) {
      ctx.issues.push({ code: "custom", message: `end (${w.end}) is not after start (${w.start})`, input: w, path: ["end"] });
    }
  });
/** One serving window of one alias of one project. */
export type LiveWindow = z.infer<typeof LiveWindow>;

/** The alias a window was served by. */
export type ServedAlias = LiveWindow["alias"];
