/**
 * Champion/challenger: a challenger replaces the production release only
 * if it beats the champion's primary metric by strictly more than the
 * margin (a margin that must beat metric noise) and breaches no guardrail.
 * The result is a gate, so it flows through promotion like any other.
 */
import type { Bound, ChampionChallengerRule, GateResult } from "../../contracts/index.js";

/** The comparison in numbers, kept as the gate's evidence. */
export interface ChallengerVerdict {
  /** True when the challenger may replace the champion. */
  readonly promote: boolean;
  /** Whether the primary metric won by more than the margin. */
  readonly beatsMargin: boolean;
  /** Improvement in the better direction (positive = better); null without a champion. */
  readonly improvement: number | null;
  /** Names of breached guardrails, in policy order. */
  readonly breaches: readonly string[];
}

/** Whether `value` lies within `bound` (a missing value lies within nothing). */
export function withinBound(bound: Bound, value: number | undefined): boolean {
  if (value === undefined || !Number.isFinite(value)) return false;
  return "max" in bound ? value <= bound.max : value >= bound.min;
}

/**
 * Compares challenger metrics with the champion's under `rule`. With no
 * champion (`null`), the policy's `withoutChampion` decides the metric
 * half; guardrails still apply.
 */
export function judgeChallenger(
  rule: ChampionChallengerRule,
  challenger: Readonly<Record<string, number>>,
  champion: Readonly<Record<string, number>> | null,
): ChallengerVerdict {
  const breaches = rule.guardrails.filter((g) => !withinBound(g, challenger[g.name])).map((g) => g.name);
  let improvement: number | null = null;
  let beatsMargin: boolean;
  if (champion === null) {
    beatsMargin = rule.withoutChampion === "pass";
  } else {
    const mine = challenger[rule.primaryMetric];
    const theirs = champion[rule.primaryMetric];
    if (mine === undefined || theirs === undefined) {
      beatsMargin = false;
    } else {
      improvement = rule.direction === "higher" ? mine - theirs : theirs - mine;
      beatsMargin = improvement > rule.margin;
    }
  }
  return { promote: beatsMargin && breaches.length === 0, beatsMargin, improvement, breaches };
}

/** Options of {@link championGate}. */
export interface ChampionGateOptions {
  /** A failed champion gate blocks promotion when critical; default false. */
  readonly critical?: boolean;
  /** The production release compared against, for the evidence. */
  readonly championRelease?: string | null;
  /** Where the rule is written (`contracts/promotion_policy.json#/projects/eta/championChallenger`), for the evidence. */
  readonly source?: string;
}

/**
 * The champion/challenger verdict as a gate artifact named by the rule. Its
 * value is the improvement (positive = better, in the primary metric's
 * units) rounded to 6 decimals, its threshold the margin.
 */
export function championGate(
  rule: ChampionChallengerRule,
  challenger: Readonly<Record<string, number>>,
  champion: Readonly<Record<string, number>> | null,
  options: ChampionGateOptions = {},
): GateResult {
  const verdict = judgeChallenger(rule, challenger, champion);
  const guardrails = rule.guardrails.map((g) => ({
    name: g.name,
    value: challenger[g.name] ?? null,
    ...("max" in g ? { max: g.max } : { min: g.min }),
    ok: withinBound(g, challenger[g.name]),
  }));
  const mine = challenger[rule.primaryMetric];
  const theirs = champion?.[rule.primaryMetric];
  return {
    name: rule.gate,
    passed: verdict.promote,
    value: verdict.improvement === null ? null : round6(verdict.improvement),
    threshold: rule.margin,
    critical: options.critical ?? false,
    evidence: {
      metric: rule.primaryMetric,
      direction: rule.direction,
      ...(options.source === undefined ? {} : { rule: options.source }),
      champion: theirs ?? null,
      championRelease: options.championRelease ?? null,
      challenger: mine ?? null,
      margin: rule.margin,
      beatsMargin: verdict.beatsMargin,
      guardrails,
      breaches: [...verdict.breaches],
      verdict: verdict.promote
        ? "promote challenger"
        : verdict.breaches.length > 0
          ? `keep champion (guardrail: ${verdict.breaches.join(", ")})`
          : champion === null
            ? "keep: no champion and the policy does not let a first release through"
            : "keep champion (margin not beaten)",
      why: explain(rule, verdict, mine, theirs, champion !== null),
    },
  };
}

/** The verdict in one sentence with its numbers, as a reviewer reads it. */
function explain(rule: ChampionChallengerRule, verdict: ChallengerVerdict, mine: number | undefined, theirs: number | undefined, hasChampion: boolean): string {
  const guardrails = verdict.breaches.length > 0 ? `; guardrail breached: ${verdict.breaches.join(", ")}` : "";
  if (mine === undefined) return `the challenger has no ${rule.primaryMetric}${guardrails}`;
  if (!hasChampion) return `no production release yet: ${rule.withoutChampion === "pass" ? "nothing to beat" : "the policy wants one to beat"}${guardrails}`;
  if (theirs === undefined || verdict.improvement === null) return `the champion recorded no ${rule.primaryMetric}; cannot compare${guardrails}`;
  const comparison = `${rule.primaryMetric} ${round6(mine)} vs champion ${round6(theirs)}: improvement ${round6(verdict.improvement)}`;
  return `${comparison} ${verdict.beatsMargin ? "is more than" : "is not more than"} margin ${rule.margin}${guardrails}`;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
