import { describe, expect, it } from "vitest";
import { breaches, evaluateSlo, rollingMeans, type SloRule } from "../../src/monitor/index.js";
import { normalSeries } from "./seeded-normal.js";

// The seed's example: floor 0.88, rolling window 5, alert after 3 consecutive sub-floor means.
const rule: SloRule = { floor: 0.88, direction: "higher", window: 5, consecutive: 3 };

/** 30 days of live accuracy: 0.91 until day 17, then 0.006 lower each day from day 18. */
const decay = Array.from({ length: 30 }, (_, day) => (day < 18 ? 0.91 : 0.91 - 0.006 * (day - 18)));

/**
 * The rule written the slow, obvious way, as an oracle: day d fires when the
 * means ending at d, d−1, …, d−N+1 all exist and are all below the floor, and
 * no earlier day fired.
 */
function oracleFireDay(values: readonly number[], r: SloRule): number | undefined {
  const mean = (end: number): number | undefined =>
    end < r.window - 1 ? undefined : values.slice(end - r.window + 1, end + 1).reduce((a, b) => a + b, 0) / r.window;
  for (let day = 0; day < values.length; day++) {
    const tail = Array.from({ length: r.consecutive }, (_, k) => (day - k >= 0 ? mean(day - k) : undefined));
    if (tail.every((m) => m !== undefined && breaches(m, r))) return day;
  }
  return undefined;
}

describe("the production SLO rule", () => {
  it("fires on day 28 for the noise-free decay, the first day with three sub-floor rolling means", () => {
    // By hand: from day 22 on, the 5-day window holds only decaying days, and
    // the mean of (d − 18) over days t−4..t is t − 20, so the rolling mean is
    // 0.91 − 0.006·(t − 20). Before that, days 17..21 hold deficits 0,0,1,2,3.
    //   t=21: 0.91 − 0.006·6/5 = 0.9028     t=22: 0.898   t=23: 0.892
    //   t=24: 0.886                          t=25: 0.880 (on the floor, not below)
    //   t=26: 0.874 < 0.88 (run 1)   t=27: 0.868 (run 2)   t=28: 0.862 (run 3) -> fires
    const result = evaluateSlo(decay, rule);
    expect(result.fireIndex).toBe(28);
    expect(result.run.slice(24)).toEqual([0, 0, 1, 2, 3, 4]);
    expect(result.rolling[25]).toBeCloseTo(0.88, 12);
    expect(oracleFireDay(decay, rule)).toBe(28);
  });

  it("fires on the first day the rule holds for a seeded noisy series, and not before", () => {
    // N(0, 0.012) noise from a seeded PRNG (seed 11), clipped to [0, 1] as in the seed.
    const noise = normalSeries(11, 30, 0, 0.012);
    const accuracy = decay.map((base, day) => Math.min(1, Math.max(0, base + noise[day]!)));
    const result = evaluateSlo(accuracy, rule);
    expect(result.fireIndex).toBe(27);
    expect(result.fireIndex).toBe(oracleFireDay(accuracy, rule));
    // Not before: replaying each prefix up to day 26 never fires.
    for (let day = 0; day < 27; day++) expect(evaluateSlo(accuracy.slice(0, day + 1), rule).fireIndex).toBeUndefined();
    expect(evaluateSlo(accuracy.slice(0, 28), rule).fireIndex).toBe(27);
  });

  it("agrees with the oracle across many seeds", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const noise = normalSeries(seed, 30, 0, 0.012);
      const accuracy = decay.map((base, day) => Math.min(1, Math.max(0, base + noise[day]!)));
      expect(evaluateSlo(accuracy, rule).fireIndex, `seed ${seed}`).toBe(oracleFireDay(accuracy, rule));
    }
  });

  it("does not fire on one bad window inside an otherwise healthy series", () => {
    const values = Array.from({ length: 20 }, (_, day) => (day === 10 ? 0.5 : 0.91));
    const result = evaluateSlo(values, rule);
    // 0.5 drags five means down to 0.828, but the run is then broken for good.
    expect(result.longestRun).toBe(5);
    expect(evaluateSlo(values, { ...rule, consecutive: 6 }).fireIndex).toBeUndefined();
  });

  it("leaves the first W − 1 rolling means undefined, so nothing can fire before index W + N − 2", () => {
    const low = Array.from({ length: 10 }, () => 0.5);
    expect(rollingMeans(low, 5).slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, 0.5]);
    expect(evaluateSlo(low, rule).fireIndex).toBe(6);
  });

  it("treats a ceiling for lower-is-better metrics the mirror way", () => {
    const mae = [10, 10, 10, 13, 13, 13, 13];
    const ceiling: SloRule = { floor: 11, direction: "lower", window: 2, consecutive: 2 };
    // Means from index 1: 10, 10, 11.5, 13 -> the run of two above 11 ends at index 4.
    expect(evaluateSlo(mae, ceiling).fireIndex).toBe(4);
  });

  it("counts a rolling mean sitting on the floor as no breach, within float error", () => {
    expect(breaches(0.88 + 1e-15, rule)).toBe(false);
    expect(breaches(0.88 - 1e-15, rule)).toBe(false);
    expect(breaches(0.8799, rule)).toBe(true);
  });
});
