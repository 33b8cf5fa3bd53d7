/**
 * Champion/challenger: a candidate beats the production release only when its
 * primary metric is better by more than a margin and no guardrail is breached.
 * Pure: the champion's recorded metrics come in as a value (or null when no
 * release is in production yet), and so does the rule, which the pipeline
 * reads from the promotion policy (`champion-policy.ts`) and hands to the
 * evaluate stage as a param.
 */
import type { Evidence, Gate } from "./gate.js";
import { round } from "./numbers.js";

/** The production release's recorded metrics, as the registry hands them over. */
export interface Champion {
  /** Release name, when known (`eta_v1`), for the evidence. */
  readonly release?: string;
  readonly metrics: Readonly<Record<string, number>>;
}

// Both shapes are type aliases of plain JSON, not interfaces: a rule travels
// as a stage param, and params must be JSON to enter the stage key.

/** A metric bound the challenger must respect whatever its primary metric says. */
export type Guardrail = {
  readonly metric: string;
  /** Fails when the challenger's value is above `max` (or below `min`). */
  readonly max?: number;
  readonly min?: number;
};

/** How to compare. */
export type ChampionRule = {
  /** Primary metric name in both metric records. */
  readonly primary: string;
  readonly higherIsBetter: boolean;
  /** Required improvement, in the metric's own units. */
  readonly margin: number;
  readonly guardrails?: Guardrail[];
  /** Whether a first release (no champion) passes. Default true. */
  readonly passWithoutChampion?: boolean;
  /** Where the rule is written (`contracts/promotion_policy.json#/projects/eta/championChallenger`), named in the evidence. */
  readonly source?: string;
};

/**
 * The champion gate. Its value is the improvement (positive = better, in the
 * primary metric's units, whichever direction is better) and its threshold
 * the margin.
 */
export function compareWithChampion(
  name: string,
  candidate: Readonly<Record<string, number>>,
  champion: Champion | null,
  rule: ChampionRule,
  critical = true,
): Gate {
  const mine = candidate[rule.primary];
  const breached = (rule.guardrails ?? []).flatMap((g) => breach(g, candidate));
  const evidence: Evidence = {
    primary: rule.primary,
    higher_is_better: rule.higherIsBetter,
    margin: rule.margin,
    guardrails: (rule.guardrails ?? []).map(describeGuardrail),
    ...(rule.source === undefined ? {} : { rule: rule.source }),
    candidate: mine === undefined ? null : round(mine, 6),
    guardrails_breached: breached,
  };
  if (mine === undefined || !Number.isFinite(mine)) {
    return result(name, false, null, rule.margin, critical, { ...evidence, why: `candidate has no finite ${rule.primary}` });
  }
  if (champion === null) {
    const passed = (rule.passWithoutChampion ?? true) && breached.length === 0;
    const why = breached.length > 0 ? `guardrail breached: ${breached.join(", ")}` : "no production release yet: nothing to beat";
    return result(name, passed, null, rule.margin, critical, { ...evidence, champion: null, why });
  }
  const theirs = champion.metrics[rule.primary];
  if (theirs === undefined || !Number.isFinite(theirs)) {
    return result(name, false, null, rule.margin, critical, {
      ...evidence,
      champion: null,
      why: `champion ${champion.release ?? ""} recorded no ${rule.primary}; cannot compare`.replace("  ", " "),
    });
  }
  const improvement = rule.higherIsBetter ? mine - theirs : theirs - mine;
  const beats = improvement > rule.margin;
  const passed = beats && breached.length === 0;
  const why = !beats
    ? `${rule.primary} ${round(mine, 6)} vs champion ${round(theirs, 6)}: improvement ${round(improvement, 6)} is not more than margin ${rule.margin}`
    : breached.length > 0
      ? `beats champion on ${rule.primary} but breaches guardrail: ${breached.join(", ")}`
      : `${rule.primary} ${round(mine, 6)} beats champion ${round(theirs, 6)} by ${round(improvement, 6)} > ${rule.margin}`;
  return result(name, passed, improvement, rule.margin, critical, {
    ...evidence,
    champion: round(theirs, 6),
    champion_release: champion.release ?? null,
    why,
  });
}

/** A guardrail as a reviewer reads it: `ece <= 0.08`. */
function describeGuardrail(guardrail: Guardrail): string {
  const bounds = [
    ...(guardrail.min === undefined ? [] : [`>= ${guardrail.min}`]),
    ...(guardrail.max === undefined ? [] : [`<= ${guardrail.max}`]),
  ];
  return `${guardrail.metric} ${bounds.join(" and ")}`.trim();
}

function breach(guardrail: Guardrail, metrics: Readonly<Record<string, number>>): string[] {
  const value = metrics[guardrail.metric];
  if (value === undefined || !Number.isFinite(value)) return [`${guardrail.metric} missing`];
  if (guardrail.max !== undefined && value > guardrail.max) return [`${guardrail.metric} ${round(value, 6)} > ${guardrail.max}`];
  if (guardrail.min !== undefined && value < guardrail.min) return [`${guardrail.metric} ${round(value, 6)} < ${guardrail.min}`];
  return [];
}

function result(name: string, passed: boolean, value: number | null, threshold: number, critical: boolean, evidence: Evidence): Gate {
  return { name, passed, value: value === null ? null : round(value, 6), threshold, critical, evidence };
}
