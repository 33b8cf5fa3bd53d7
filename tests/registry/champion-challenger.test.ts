/**
 * The seed's champion/challenger case: champion AUC 0.842, challenger
 * 0.857, margin 0.005, guardrails p99 <= 200 ms, fairness gap <= 0.05,
 * ECE <= 0.04. It promotes; with p99 = 240 ms it keeps the champion and
 * names the breached guardrail.
 */
import { describe, expect, it } from "vitest";
import type { ChampionChallengerRule } from "../../contracts/index.js";
import { championGate, judgeChallenger } from "../../src/registry/index.js";

const rule: ChampionChallengerRule = {
  gate: "beats_champion",
  primaryMetric: "auc",
  direction: "higher",
  margin: 0.005,
  guardrails: [
    { name: "p99_latency_ms", max: 200 },
    { name: "fairness_gap", max: 0.05 },
    { name: "calibration_ece", max: 0.04 },
  ],
  withoutChampion: "pass",
};
const champion = { auc: 0.842 };
const challenger = { auc: 0.857, p99_latency_ms: 180, fairness_gap: 0.03, calibration_ece: 0.021 };

describe("champion/challenger (seed)", () => {
  it("promotes a challenger that beats the margin and breaches no guardrail", () => {
    const verdict = judgeChallenger(rule, challenger, champion);
    expect(verdict).toMatchObject({ promote: true, beatsMargin: true, breaches: [] });
    expect(verdict.improvement).toBeCloseTo(0.015, 10);
    const gate = championGate(rule, challenger, champion);
    expect(gate).toMatchObject({ name: "beats_champion", passed: true, threshold: 0.005 });
    expect(gate.evidence["verdict"]).toBe("promote challenger");
  });

  it("keeps the champion when p99 latency is 240 ms, naming the guardrail", () => {
    const slow = { ...challenger, p99_latency_ms: 240 };
    const verdict = judgeChallenger(rule, slow, champion);
    expect(verdict).toMatchObject({ promote: false, beatsMargin: true, breaches: ["p99_latency_ms"] });
    const gate = championGate(rule, slow, champion);
    expect(gate.passed).toBe(false);
    expect(gate.evidence["verdict"]).toBe("keep champion (guardrail: p99_latency_ms)");
  });

  it("keeps the champion when the win is within the margin", () => {
    expect(judgeChallenger(rule, { ...challenger, auc: 0.846 }, champion)).toMatchObject({ promote: false, beatsMargin: false });
  });

  it("treats a missing guardrail metric as a breach", () => {
    const { fairness_gap: _omitted, ...partial } = challenger;
    expect(judgeChallenger(rule, partial, champion).breaches).toEqual(["fairness_gap"]);
  });

  it("compares in the right direction for lower-is-better metrics", () => {
    const mae = { ...rule, primaryMetric: "mae", direction: "lower" as const, margin: 0.1, guardrails: [] };
    expect(judgeChallenger(mae, { mae: 4.5 }, { mae: 5 }).promote).toBe(true);
    expect(judgeChallenger(mae, { mae: 4.95 }, { mae: 5 }).promote).toBe(false);
  });

  it("lets the policy decide the first release, with no champion", () => {
    expect(judgeChallenger(rule, challenger, null).promote).toBe(true);
    expect(judgeChallenger({ ...rule, withoutChampion: "fail" }, challenger, null).promote).toBe(false);
  });
});
