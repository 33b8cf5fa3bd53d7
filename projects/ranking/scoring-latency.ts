/**
 * Scoring latency, modelled rather than timed. A wall-clock measurement on a
 * shared CI core would make the `latency_budget` gate flaky and the stage
 * non-reproducible; the cost of serving a query is instead a linear model of
 * the work it does: a fixed overhead, an eligibility lookup per retrieved
 * candidate, and one multiply-add per feature per scored candidate. The unit
 * costs are params (calibrated once against the serving host) so the gate is
 * the same number on every machine.
 */
import { quantile } from "../../stages/lib/metrics.js";

/** Unit costs of serving one query, in milliseconds. */
export interface LatencyModel {
  readonly overheadMs: number;
  /** Eligibility and feature fetch, per retrieved candidate. */
  readonly perCandidateMs: number;
  /** Per feature per scored candidate. */
  readonly perFeatureMs: number;
}

/** Modelled latency of one query. */
export function queryLatencyMs(poolSize: number, scored: number, features: number, m: LatencyModel): number {
  return m.overheadMs + poolSize * m.perCandidateMs + scored * features * m.perFeatureMs;
}

/** p50 and p99 (nearest rank) of per-query latencies. */
export function latencySummary(latencies: readonly number[]): { p50: number; p99: number } {
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}
