/**
 * What the monitor decides, as data. Each decision names the window that
 * completed its evidence (`trigger`); that window's key is what makes a replay
 * of the same windows produce nothing new. Text is rendered in `report/`.
 */
import type { ServedAlias } from "../../contracts/index.js";

/**
 * The decisions, documented once:
 * - `pause`: the canary has not failed but has not passed either (too few labels);
 * - `promote`: production -> the canary's release, canary cleared;
 * - `abort`: canary cleared, production untouched;
 * - `rollback`: production back to the last known-good release;
 * - `warn`: drift worth a look, nothing moves;
 * - `retrain`: drift past the act threshold, a new candidate run is due.
 */
export type DecisionKind = "pause" | "promote" | "abort" | "rollback" | "warn" | "retrain";

/** Why a canary was aborted. */
export type AbortReason = "immediate_health" | "rollback_event" | "quality" | "insufficient_evidence";

/** Why production was rolled back. */
export type RollbackReason = "slo_breach" | "rollback_event";

/** The evidence behind a decision, enough to trace it without the window file. */
export interface Evidence {
  /** The policy rule that decided, e.g. `canary.immediate.maxP99LatencyMs`. */
  readonly rule: string;
  /** Keys of the windows the decision rests on, in time order. */
  readonly windows: readonly string[];
  /** The figures compared, by name; null where a window omitted a figure the policy needs. */
  readonly figures: Readonly<Record<string, number | null>>;
  /** For quality verdicts: production's figure came from its live windows or its recorded evaluation. */
  readonly baseline?: "live" | "recorded";
  /** Other rules that failed in the same window, when more than one did. */
  readonly alsoFailed?: readonly string[];
}

interface DecisionBase {
  readonly project: string;
  /** The alias whose traffic was judged. */
  readonly alias: ServedAlias;
  /** The release that alias served. */
  readonly release: string;
  /** Key of the window that completed the evidence; the idempotence key. */
  readonly trigger: string;
  readonly evidence: Evidence;
}

/** A canary that needs more delayed evidence; the deadline says how long it may wait. */
export interface PauseDecision extends DecisionBase {
  readonly kind: "pause";
  /** Still missing: labelled outcomes and labelled windows. */
  readonly needs: { readonly labels: number; readonly windows: number };
  /** What is left before `insufficient_evidence`: windows or hours, per the policy. */
  readonly deadline: { readonly windowsLeft: number } | { readonly hoursLeft: number };
}

/** The canary passed: production should point at its release. */
export interface PromoteDecision extends DecisionBase {
  readonly kind: "promote";
}

/** The canary failed or ran out of time. */
export interface AbortDecision extends DecisionBase {
  readonly kind: "abort";
  readonly reason: AbortReason;
}

/** Production breached its SLO or a rollback event fired. */
export interface RollbackDecision extends DecisionBase {
  readonly kind: "rollback";
  readonly reason: RollbackReason;
  /** The release to restore, when the caller named the last known-good one. */
  readonly restore?: string;
}

/** Drift between warn and act thresholds. */
export interface WarnDecision extends DecisionBase {
  readonly kind: "warn";
}

/** Drift at or past the act threshold: trigger a candidate run (never a rollback by itself). */
export interface RetrainDecision extends DecisionBase {
  readonly kind: "retrain";
  readonly cause: "drift";
}

/** Any decision the monitor can return. */
export type MonitorDecision =
  | PauseDecision
  | PromoteDecision
  | AbortDecision
  | RollbackDecision
  | WarnDecision
  | RetrainDecision;

/** A stable identity for a decision: its kind and its trigger window. */
export function decisionKey(decision: Pick<MonitorDecision, "kind" | "trigger">): string {
  return `${decision.kind}@${decision.trigger}`;
}
