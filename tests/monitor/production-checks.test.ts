import { describe, expect, it } from "vitest";
import { checkProduction, type LiveWindow } from "../../src/monitor/index.js";
import { etaPolicy, makeWindow } from "./builders.js";

/** The seed's noise-free decay as 30 daily production windows: index i is June day i + 1. */
const decay = Array.from({ length: 30 }, (_, i) => (i < 18 ? 0.91 : 0.91 - 0.006 * (i - 18)));
const decayWindows = decay.map((recall, i) => makeWindow({ alias: "production", day: i + 1, labelled: 500, metrics: { recall } }));

const check = (windows: LiveWindow[], restore?: string) =>
  checkProduction({ policy: etaPolicy(), release: "eta_v1", windows, ...(restore ? { restore } : {}) });

describe("the production checks", () => {
  it("roll back on the window where the SLO rule fires, with the breaching means as evidence", () => {
    // Series index 28 (see slo-rule.test.ts) is June 29th, window d29.
    const decision = check(decayWindows, "eta_v0");
    expect(decision?.trigger).toBe("eta/production/d29");
    expect(decision).toMatchInlineSnapshot(`
      {
        "alias": "production",
        "evidence": {
          "figures": {
            "consecutive": 3,
            "floor": 0.88,
            "rollingMean.d27": 0.874,
            "rollingMean.d28": 0.868,
            "rollingMean.d29": 0.8620000000000001,
            "window": 5,
          },
          "rule": "slo.recall",
          "windows": [
            "eta/production/d23",
            "eta/production/d24",
            "eta/production/d25",
            "eta/production/d26",
            "eta/production/d27",
            "eta/production/d28",
            "eta/production/d29",
          ],
        },
        "kind": "rollback",
        "project": "eta",
        "reason": "slo_breach",
        "release": "eta_v1",
        "restore": "eta_v0",
        "trigger": "eta/production/d29",
      }
    `);
  });

  it("do not roll back before the rule fires", () => {
    expect(check(decayWindows.slice(0, 28))).toBeUndefined();
  });

  it("skip windows still waiting for labels rather than treating them as breaches or recoveries", () => {
    // Two sub-floor means by d28; d29 has no labels yet, so it neither fires nor resets the run.
    const waiting = makeWindow({ alias: "production", day: 29, labelled: 0 });
    expect(check([...decayWindows.slice(0, 28), waiting])).toBeUndefined();
    // d30 arrives labelled with day 29's value: the third sub-floor mean, so the rule fires there.
    const next = makeWindow({ alias: "production", day: 30, labelled: 500, metrics: { recall: decay[28]! } });
    expect(check([...decayWindows.slice(0, 28), waiting, next])?.trigger).toBe("eta/production/d30");
  });

  it("roll back on a rollback event, ahead of a later SLO breach", () => {
    const spiked = decayWindows.map((w) => (w.window === "d10" ? { ...w, events: { stale_warning_spike: 6 } } : w));
    const decision = check(spiked);
    expect(decision && [decision.reason, decision.trigger, decision.evidence]).toMatchInlineSnapshot(`
      [
        "rollback_event",
        "eta/production/d10",
        {
          "figures": {
            "stale_warning_spike": 6,
            "stale_warning_spike.maxPerWindow": 5,
          },
          "rule": "rollbackEvents.stale_warning_spike",
          "windows": [
            "eta/production/d10",
          ],
        },
      ]
    `);
  });

  it("ignore event counts at or under the limit and counters the policy does not name", () => {
    const calm = decayWindows.slice(0, 10).map((w) => ({ ...w, events: { stale_warning_spike: 5, other_counter: 900 } }));
    expect(check(calm)).toBeUndefined();
  });
});
