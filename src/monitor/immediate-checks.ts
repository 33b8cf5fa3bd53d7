/**
 * The checks that need no labels: service health, data health and rollback
 * event counters of a single window. A canary fails them at once; production
 * uses only the event counters (its health is the on-call's, not ours).
 */
import type { ImmediateChecks, LiveWindow, RollbackEvent } from "../../contracts/index.js";

/** One failed check: the rule, and the figure against its limit (null when the window omitted it). */
export interface CheckFailure {
  readonly kind: "health" | "event";
  /** e.g. `canary.immediate.maxErrorRate` or `rollbackEvents.stale_warning_spike`. */
  readonly rule: string;
  readonly figures: Readonly<Record<string, number | null>>;
}

/**
 * Runs the named health checks on one window, in a fixed order (service, then
 * data). A data-health figure the policy names but the window omits fails its
 * check: a canary that stops reporting freshness has not shown it is fresh.
 */
export function healthFailures(window: LiveWindow, checks: ImmediateChecks): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (name: keyof ImmediateChecks, figure: string, value: number | null, limit: number): void => {
    failures.push({ kind: "health", rule: `canary.immediate.${name}`, figures: { [figure]: value, [name]: limit } });
  };
  const { service, data } = window;

  // A window with no traffic has no error rate; it is not evidence of errors.
  if (checks.maxErrorRate !== undefined && service.requests > 0) {
    const rate = service.errors / service.requests;
    if (rate > checks.maxErrorRate) fail("maxErrorRate", "errorRate", rate, checks.maxErrorRate);
  }
  if (checks.maxP99LatencyMs !== undefined && service.p99LatencyMs > checks.maxP99LatencyMs) {
    fail("maxP99LatencyMs", "p99LatencyMs", service.p99LatencyMs, checks.maxP99LatencyMs);
  }
  if (checks.maxFreshnessLagMinutes !== undefined) {
    const lag = data?.freshnessLagMinutes;
    if (lag === undefined || lag > checks.maxFreshnessLagMinutes) {
      fail("maxFreshnessLagMinutes", "freshnessLagMinutes", lag ?? null, checks.maxFreshnessLagMinutes);
    }
  }
  if (checks.minCandidateSupply !== undefined) {
    const supply = data?.candidateSupply;
    if (supply === undefined || supply < checks.minCandidateSupply) {
      fail("minCandidateSupply", "candidateSupply", supply ?? null, checks.minCandidateSupply);
    }
  }
  if (checks.minUsableImageRate !== undefined) {
    const rate = data?.usableImageRate;
    if (rate === undefined || rate < checks.minUsableImageRate) {
      fail("minUsableImageRate", "usableImageRate", rate ?? null, checks.minUsableImageRate);
    }
  }
  return failures;
}

/**
 * Counters over their per-window limit, in policy order. A counter the window
 * does not report counts as zero: event counters are sparse by nature.
 */
export function eventFailures(window: LiveWindow, events: readonly RollbackEvent[]): CheckFailure[] {
  return events
    .filter((event) => (window.events?.[event.counter] ?? 0) > event.maxPerWindow)
    .map((event) => ({
      kind: "event" as const,
      rule: `rollbackEvents.${event.counter}`,
      // Keyed by counter so figures of several failing counters can be merged.
      figures: { [event.counter]: window.events?.[event.counter] ?? 0, [`${event.counter}.maxPerWindow`]: event.maxPerWindow },
    }));
}
