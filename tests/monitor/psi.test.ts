import { describe, expect, it } from "vitest";
import { Distribution, psi, PSI_EPSILON } from "../../src/monitor/index.js";

const edges = [0, 0.25, 0.5, 0.75, 1];
const dist = (values: number[], kind: "counts" | "proportions" = "proportions"): Distribution =>
  Distribution.parse({ edges, [kind]: values });
const value = (reference: Distribution, live: Distribution): number => {
  const result = psi(reference, live);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.psi;
};

describe("psi", () => {
  it("is zero for identical distributions", () => {
    expect(value(dist([0.25, 0.25, 0.25, 0.25]), dist([0.25, 0.25, 0.25, 0.25]))).toBe(0);
  });

  it("matches the formula worked by hand", () => {
    // Terms: (0.4−0.25)ln(0.4/0.25) + (0.1−0.25)ln(0.1/0.25) + 0 + 0
    //      = 0.15·0.470004 + 0.15·0.916291 = 0.207944
    expect(value(dist([0.25, 0.25, 0.25, 0.25]), dist([0.4, 0.1, 0.25, 0.25]))).toBeCloseTo(0.207944, 6);
  });

  it("reads counts and proportions alike", () => {
    expect(value(dist([25, 25, 25, 25], "counts"), dist([40, 10, 25, 25], "counts"))).toBeCloseTo(
      value(dist([0.25, 0.25, 0.25, 0.25]), dist([0.4, 0.1, 0.25, 0.25])),
      12,
    );
  });

  it("stays finite when a bucket empties, by flooring shares at epsilon", () => {
    const result = psi(dist([0.25, 0.25, 0.25, 0.25]), dist([0.5, 0, 0.25, 0.25]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const emptied = (PSI_EPSILON - 0.25) * Math.log(PSI_EPSILON / 0.25);
    const grown = 0.25 * Math.log(2);
    expect(result.value.terms[1]).toBeCloseTo(emptied, 12);
    expect(result.value.psi).toBeCloseTo(emptied + grown, 12);
    expect(Number.isFinite(result.value.psi)).toBe(true);
  });

  it("is never negative, whatever the shares", () => {
    const shapes = [
      [0.1, 0.2, 0.3, 0.4],
      [0, 0, 0, 1],
      [0.97, 0.01, 0.01, 0.01],
      [0.25, 0.25, 0.25, 0.25],
    ];
    for (const a of shapes) for (const b of shapes) expect(value(dist(a), dist(b))).toBeGreaterThanOrEqual(0);
  });

  it("refuses distributions bucketed differently, or with no observations", () => {
    const other = Distribution.parse({ edges: [0, 0.5, 1], proportions: [0.5, 0.5] });
    const empty = dist([0, 0, 0, 0], "counts");
    const results = [psi(dist([0.25, 0.25, 0.25, 0.25]), other), psi(empty, dist([1, 1, 1, 1], "counts")), psi(dist([1, 1, 1, 1], "counts"), empty)];
    expect(results.map((r) => (r.ok ? "ok" : r.error.message))).toMatchInlineSnapshot(`
      [
        "bucket edges differ: reference [0, 0.25, 0.5, 0.75, 1], live [0, 0.5, 1]",
        "the reference distribution has no observations",
        "the live distribution has no observations",
      ]
    `);
  });
});
