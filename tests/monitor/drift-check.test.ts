import { describe, expect, it } from "vitest";
import { checkDrift, Distribution, type DriftInput, type LiveWindow } from "../../src/monitor/index.js";
import { etaPolicy, makeWindow } from "./builders.js";

const edges = [0, 1, 2, 4, 8];
const reference = { scan_gap_hours: Distribution.parse({ edges, proportions: [0.4, 0.3, 0.2, 0.1] }) };
const drifted = (day: number, proportions: number[]): LiveWindow =>
  makeWindow({ alias: "production", day, distributions: { scan_gap_hours: { edges, proportions } } });

const check = (windows: LiveWindow[], references: DriftInput["references"] = reference) =>
  checkDrift({ project: "eta", policy: etaPolicy().drift!, release: "eta_v1", references, windows });

describe("the drift check", () => {
  it("stays quiet while PSI is under the warn threshold", () => {
    expect(check([drifted(1, [0.38, 0.32, 0.2, 0.1])])).toEqual({ decision: undefined, skipped: [] });
  });

  it("warns between the warn and act thresholds, and never asks for a rollback", () => {
    // Against [0.4, 0.3, 0.2, 0.1]: 0.15·ln(1.6) + 0.05·ln(7/6) + 0 + 0.1·ln(2)
    //   = 0.0705006 + 0.0077075 + 0.0693147 = 0.1475228: above 0.1, below 0.25.
    const { decision } = check([drifted(1, [0.25, 0.35, 0.2, 0.2])]);
    expect(decision?.kind).toBe("warn");
    expect(decision?.evidence.figures["psi.d01.scan_gap_hours"]).toBeCloseTo(0.1475228, 6);
  });

  it("asks for one retrain per batch, triggered by the first window past the act threshold", () => {
    const windows = [drifted(1, [0.2, 0.4, 0.2, 0.2]), drifted(2, [0.1, 0.2, 0.3, 0.4]), drifted(3, [0.1, 0.2, 0.3, 0.4])];
    const { decision } = check(windows);
    expect(decision).toMatchInlineSnapshot(`
      {
        "alias": "production",
        "cause": "drift",
        "evidence": {
          "figures": {
            "actPsi": 0.25,
            "psi.d01.scan_gap_hours": 0.2367123614131617,
            "psi.d02.scan_gap_hours": 0.9128696382935673,
            "psi.d03.scan_gap_hours": 0.9128696382935673,
            "warnPsi": 0.1,
          },
          "rule": "drift.actPsi",
          "windows": [
            "eta/production/d01",
            "eta/production/d02",
            "eta/production/d03",
          ],
        },
        "kind": "retrain",
        "project": "eta",
        "release": "eta_v1",
        "trigger": "eta/production/d02",
      }
    `);
  });

  it("skips features whose reference is missing or bucketed differently, saying so", () => {
    const other = makeWindow({
      alias: "production",
      day: 1,
      distributions: { scan_gap_hours: { edges: [0, 8], counts: [10] }, score: { edges: [0, 1], counts: [3] } },
    });
    expect(check([other]).skipped).toMatchInlineSnapshot(`
      [
        {
          "feature": "scan_gap_hours",
          "message": "bucket edges differ: reference [0, 1, 2, 4, 8], live [0, 8]",
          "window": "eta/production/d01",
        },
        {
          "feature": "score",
          "message": "no reference distribution recorded for score",
          "window": "eta/production/d01",
        },
      ]
    `);
  });
});
