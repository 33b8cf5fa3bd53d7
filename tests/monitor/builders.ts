/**
 * Builders for test windows and policies. Every window goes through the real
 * schema, so a test can never feed the controller a window the parser would
 * have rejected.
 */
import { LiveWindow, MonitorPolicy, type MonitorPolicyInput } from "../../src/monitor/index.js";

/** Overrides for one window; `day` sets id, start and end to that UTC day of June 2026. */
export interface WindowSpec {
  readonly day: number;
  readonly alias?: "canary" | "production";
  readonly release?: string;
  readonly project?: string;
  readonly requests?: number;
  readonly errors?: number;
  readonly p99?: number;
  readonly data?: Record<string, number>;
  readonly labelled?: number;
  readonly metrics?: Record<string, number>;
  readonly events?: Record<string, number>;
  readonly distributions?: Record<string, unknown>;
}

/** The raw JSON object of a window, as a line of a JSONL file would hold it. */
export function windowJson(spec: WindowSpec): Record<string, unknown> {
  const alias = spec.alias ?? "canary";
  const day = String(spec.day).padStart(2, "0");
  return {
    project: spec.project ?? "eta",
    alias,
    release: spec.release ?? (alias === "canary" ? "eta_v2" : "eta_v1"),
    window: `d${day}`,
    start: `2026-06-${day}T00:00:00Z`,
    end: `2026-06-${day}T23:59:59Z`,
    service: { requests: spec.requests ?? 1000, errors: spec.errors ?? 2, p50LatencyMs: 40, p99LatencyMs: spec.p99 ?? 180 },
    data: spec.data ?? { freshnessLagMinutes: 12 },
    outcomes: { labelled: spec.labelled ?? 0, metrics: spec.metrics ?? {} },
    ...(spec.events ? { events: spec.events } : {}),
    ...(spec.distributions ? { distributions: spec.distributions } : {}),
  };
}

/** A validated window. */
export function makeWindow(spec: WindowSpec): LiveWindow {
  return LiveWindow.parse(windowJson(spec));
}

/** The ETA policy used across the controller tests: recall, higher is better. */
export const etaPolicyInput: MonitorPolicyInput = {
  project: "eta",
  canary: {
    immediate: { maxErrorRate: 0.01, maxP99LatencyMs: 250, maxFreshnessLagMinutes: 30 },
    delayed: { metric: "recall", direction: "higher", minLabelled: 300, minWindows: 3, margin: 0.01 },
    pauseDeadline: { windows: 6 },
  },
  slo: { metric: "recall", direction: "higher", floor: 0.88, window: 5, consecutive: 3 },
  rollbackEvents: [{ counter: "stale_warning_spike", maxPerWindow: 5 }],
  drift: { features: ["scan_gap_hours", "score"], warnPsi: 0.1, actPsi: 0.25 },
};

/** The ETA policy, parsed; `patch` replaces top-level sections. */
export function etaPolicy(patch: Partial<MonitorPolicyInput> = {}): MonitorPolicy {
  return MonitorPolicy.parse({ ...etaPolicyInput, ...patch });
}
