import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decideCanary, parseWindows, type CanaryInput, type LiveWindow } from "../../src/monitor/index.js";
import { etaPolicy, etaPolicyInput, makeWindow, type WindowSpec } from "./builders.js";

const canary = (spec: WindowSpec): LiveWindow => makeWindow({ alias: "canary", ...spec });
const production = (spec: WindowSpec): LiveWindow => makeWindow({ alias: "production", ...spec });
const labelled = (day: number, recall: number, count = 120): LiveWindow => canary({ day, labelled: count, metrics: { recall } });

/** Production windows at recall 0.91 with plenty of labels, days 1–10. */
const steadyProduction = Array.from({ length: 10 }, (_, i) => production({ day: i + 1, labelled: 400, metrics: { recall: 0.91 } }));

function decide(windows: LiveWindow[], patch: Partial<CanaryInput> = {}) {
  return decideCanary({
    policy: etaPolicy(),
    release: "eta_v2",
    windows,
    productionWindows: steadyProduction,
    productionMetrics: { recall: 0.9 },
    ...patch,
  });
}

describe("the canary controller", () => {
  it("returns nothing before the canary has any window", () => {
    expect(decide([])).toBeUndefined();
  });

  it("pauses while labels are short, saying how many more labels and windows it needs", () => {
    expect(decide([canary({ day: 1 }), labelled(2, 0.95)])).toMatchInlineSnapshot(`
      {
        "alias": "canary",
        "deadline": {
          "windowsLeft": 4,
        },
        "evidence": {
          "figures": {
            "labelled": 120,
            "labelledWindows": 1,
            "minLabelled": 300,
            "minWindows": 3,
          },
          "rule": "canary.delayed.minEvidence",
          "windows": [
            "eta/canary/d01",
            "eta/canary/d02",
          ],
        },
        "kind": "pause",
        "needs": {
          "labels": 180,
          "windows": 2,
        },
        "project": "eta",
        "release": "eta_v2",
        "trigger": "eta/canary/d02",
      }
    `);
  });

  it("promotes once enough labels across K windows clear production's live quality", () => {
    const parsed = parseWindows(readFileSync(new URL("./fixtures/eta-canary-promote.jsonl", import.meta.url), "utf8"));
    if (!parsed.ok) throw new Error("fixture should parse");
    const decision = decide(
      parsed.value.filter((w) => w.alias === "canary"),
      { productionWindows: parsed.value.filter((w) => w.alias === "production") },
    );
    expect(decision).toMatchInlineSnapshot(`
      {
        "alias": "canary",
        "evidence": {
          "baseline": "live",
          "figures": {
            "advantage": 0.006666666666666821,
            "canaryMetric": 0.9150000000000001,
            "labelled": 360,
            "labelledWindows": 3,
            "margin": 0.01,
            "productionLabelled": 600,
            "productionMetric": 0.9083333333333333,
          },
          "rule": "canary.delayed.non-inferior",
          "windows": [
            "eta/canary/d02",
            "eta/canary/d03",
            "eta/canary/d04",
            "eta/production/d02",
            "eta/production/d03",
            "eta/production/d04",
          ],
        },
        "kind": "promote",
        "project": "eta",
        "release": "eta_v2",
        "trigger": "eta/canary/d04",
      }
    `);
  });

  it("aborts at once on an immediate health failure, listing every check that failed", () => {
    const decision = decide([labelled(1, 0.95), canary({ day: 2, p99: 900, errors: 30 }), labelled(3, 0.95), labelled(4, 0.95)]);
    expect(decision).toMatchInlineSnapshot(`
      {
        "alias": "canary",
        "evidence": {
          "alsoFailed": [
            "canary.immediate.maxP99LatencyMs",
          ],
          "figures": {
            "errorRate": 0.03,
            "maxErrorRate": 0.01,
            "maxP99LatencyMs": 250,
            "p99LatencyMs": 900,
          },
          "rule": "canary.immediate.maxErrorRate",
          "windows": [
            "eta/canary/d02",
          ],
        },
        "kind": "abort",
        "project": "eta",
        "reason": "immediate_health",
        "release": "eta_v2",
        "trigger": "eta/canary/d02",
      }
    `);
  });

  it("aborts when a window omits a data-health figure the policy names", () => {
    const decision = decide([canary({ day: 1, data: {} })]);
    expect(decision?.kind === "abort" && decision.evidence).toMatchInlineSnapshot(`
      {
        "figures": {
          "freshnessLagMinutes": null,
          "maxFreshnessLagMinutes": 30,
        },
        "rule": "canary.immediate.maxFreshnessLagMinutes",
        "windows": [
          "eta/canary/d01",
        ],
      }
    `);
  });

  it("aborts on a rollback event seen in canary traffic", () => {
    const decision = decide([canary({ day: 1, events: { stale_warning_spike: 9 } })]);
    expect(decision?.kind === "abort" && [decision.reason, decision.evidence.rule, decision.evidence.figures]).toMatchInlineSnapshot(`
      [
        "rollback_event",
        "rollbackEvents.stale_warning_spike",
        {
          "stale_warning_spike": 9,
          "stale_warning_spike.maxPerWindow": 5,
        },
      ]
    `);
  });

  it("aborts for quality when the canary trails production by more than the margin", () => {
    const decision = decide([labelled(1, 0.89), labelled(2, 0.9), labelled(3, 0.88)]);
    expect(decision?.kind === "abort" && [decision.reason, decision.evidence.figures]).toMatchInlineSnapshot(`
      [
        "quality",
        {
          "advantage": -0.02000000000000013,
          "canaryMetric": 0.8899999999999999,
          "labelled": 360,
          "labelledWindows": 3,
          "margin": 0.01,
          "productionLabelled": 1200,
          "productionMetric": 0.91,
        },
      ]
    `);
  });

  it("aborts for insufficient evidence at the window deadline, never promoting by default", () => {
    const quiet = Array.from({ length: 8 }, (_, i) => canary({ day: i + 1 }));
    const atFive = decide(quiet.slice(0, 5));
    expect(atFive?.kind === "pause" && atFive.deadline).toEqual({ windowsLeft: 1 });
    const atSix = decide(quiet);
    expect(atSix?.kind === "abort" && [atSix.reason, atSix.trigger, atSix.evidence.rule, atSix.evidence.figures]).toMatchInlineSnapshot(`
      [
        "insufficient_evidence",
        "eta/canary/d06",
        "canary.pauseDeadline",
        {
          "deadlineWindows": 6,
          "labelled": 0,
          "labelledWindows": 0,
          "minLabelled": 300,
          "minWindows": 3,
          "windows": 6,
        },
      ]
    `);
  });

  it("counts an hours deadline from when the canary opened", () => {
    const policy = etaPolicy({ canary: { ...etaPolicyInput.canary, pauseDeadline: { hours: 72 } } });
    const windows = [canary({ day: 1 }), canary({ day: 2 })];
    const paused = decide(windows, { policy, openedAt: "2026-06-01T00:00:00Z" });
    expect(paused?.kind === "pause" && paused.deadline).toEqual({ hoursLeft: 72 - (48 - 1 / 3600) });
    const late = decide(windows, { policy, openedAt: "2026-05-30T00:00:00Z" });
    expect(late?.kind === "abort" && [late.reason, late.trigger]).toEqual(["insufficient_evidence", "eta/canary/d02"]);
  });

  it("promotes when labels arrive exactly at the deadline window", () => {
    const windows = [canary({ day: 1 }), canary({ day: 2 }), canary({ day: 3 }), labelled(4, 0.92), labelled(5, 0.92), labelled(6, 0.92)];
    expect(decide(windows)?.kind).toBe("promote");
  });

  it("falls back to production's recorded metric when production's live labels are too few", () => {
    const decision = decide([labelled(1, 0.905), labelled(2, 0.905), labelled(3, 0.905)], { productionWindows: [] });
    expect(decision?.kind === "promote" && decision.evidence).toMatchInlineSnapshot(`
      {
        "baseline": "recorded",
        "figures": {
          "advantage": 0.0050000000000000044,
          "canaryMetric": 0.905,
          "labelled": 360,
          "labelledWindows": 3,
          "margin": 0.01,
          "productionLabelled": 0,
          "productionMetric": 0.9,
        },
        "rule": "canary.delayed.non-inferior",
        "windows": [
          "eta/canary/d01",
          "eta/canary/d02",
          "eta/canary/d03",
        ],
      }
    `);
  });

  it("keeps pausing when there is no production figure to compare with at all", () => {
    const decision = decide([labelled(1, 0.95), labelled(2, 0.95), labelled(3, 0.95)], { productionWindows: [], productionMetrics: {} });
    expect(decision?.kind === "pause" && [decision.needs, decision.evidence.figures]).toMatchInlineSnapshot(`
      [
        {
          "labels": 0,
          "windows": 0,
        },
        {
          "labelled": 360,
          "labelledWindows": 3,
          "minLabelled": 300,
          "minWindows": 3,
          "productionMetric": null,
        },
      ]
    `);
  });

  it("passes a non-inferior canary that trails production by exactly the margin", () => {
    // 0.90 against production's live 0.91 with margin 0.01: on the boundary, which passes.
    expect(decide([labelled(1, 0.9), labelled(2, 0.9), labelled(3, 0.9)])?.kind).toBe("promote");
    expect(decide([labelled(1, 0.8999), labelled(2, 0.8999), labelled(3, 0.8999)])?.kind).toBe("abort");
  });

  it("requires a strict win beyond the margin in superior mode", () => {
    const delayed = { ...etaPolicyInput.canary.delayed, comparison: "superior" as const, margin: 0.01 };
    const policy = etaPolicy({ canary: { ...etaPolicyInput.canary, delayed } });
    // 0.92 − 0.91 is 0.010000000000000009 in floats: still a tie with the margin, not a win.
    const tie = [labelled(1, 0.92), labelled(2, 0.92), labelled(3, 0.92)];
    expect(decide(tie, { policy })?.kind).toBe("abort");
    const win = [labelled(1, 0.93), labelled(2, 0.93), labelled(3, 0.93)];
    expect(decide(win, { policy })?.kind).toBe("promote");
  });

  it("decides the same whatever order the windows come in", () => {
    const windows = [canary({ day: 1 }), labelled(2, 0.95), canary({ day: 3, p99: 400 }), labelled(4, 0.95)];
    const reversed = [...windows].reverse();
    expect(decide(reversed)).toEqual(decide(windows));
    expect(decide(windows)?.trigger).toBe("eta/canary/d03");
  });
});
