import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decisionKey, Distribution, evaluateMonitor, parseWindows, type LiveWindow, type MonitorState } from "../../src/monitor/index.js";
import { etaPolicy, makeWindow } from "./builders.js";

const fixtureWindows = (name: string): LiveWindow[] => {
  const parsed = parseWindows(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"), name);
  if (!parsed.ok) throw new Error(parsed.error.map((p) => p.message).join("\n"));
  return parsed.value;
};
const open: MonitorState = { production: "eta_v1", canary: "eta_v2", seenWindows: new Set() };
const run = (windows: LiveWindow[], state: MonitorState = open, references?: Record<string, Distribution>) =>
  evaluateMonitor({ policy: etaPolicy(), windows, state, productionMetrics: { recall: 0.9 }, ...(references ? { references } : {}) });
/** The state after recording a pass: its windows join the seen set. */
const after = (state: MonitorState, seen: readonly string[]): MonitorState => ({
  ...state,
  seenWindows: new Set([...state.seenWindows, ...seen]),
});

describe("evaluateMonitor", () => {
  it("promotes the fixture's canary and reports every window it read", () => {
    const outcome = run(fixtureWindows("eta-canary-promote.jsonl"));
    expect(outcome.decisions.map(decisionKey)).toEqual(["promote@eta/canary/d04"]);
    expect(outcome.seen).toHaveLength(8);
    expect(outcome.ignored).toEqual([]);
  });

  it("yields nothing new when the same windows are replayed", () => {
    const windows = fixtureWindows("eta-canary-promote.jsonl");
    const first = run(windows);
    const replay = run(windows, after(open, first.seen));
    expect(replay).toEqual({ decisions: [], seen: [], ignored: [], skipped: [] });
  });

  it("pauses again with fewer labels needed when a new window arrives, and only then", () => {
    const windows = fixtureWindows("eta-canary-promote.jsonl").filter((w) => w.window <= "d02");
    const first = run(windows);
    expect(first.decisions.map((d) => [decisionKey(d), d.kind === "pause" && d.needs])).toEqual([
      ["pause@eta/canary/d02", { labels: 180, windows: 2 }],
    ]);
    const state = after(open, first.seen);
    const third = makeWindow({ alias: "canary", day: 3, labelled: 120, metrics: { recall: 0.915 } });
    const second = run([...windows, third], state);
    expect(second.decisions.map((d) => [decisionKey(d), d.kind === "pause" && d.needs])).toEqual([
      ["pause@eta/canary/d03", { labels: 60, windows: 1 }],
    ]);
    expect(second.seen).toEqual(["eta/canary/d03"]);
    expect(run([...windows, third], after(state, second.seen)).decisions).toEqual([]);
  });

  it("ignores windows of other projects and of releases the aliases no longer serve", () => {
    const windows = [
      makeWindow({ project: "ranking", alias: "production", release: "ranker_v1", day: 1 }),
      makeWindow({ alias: "canary", release: "eta_v1b", day: 1 }),
      makeWindow({ alias: "production", release: "eta_v0", day: 1 }),
    ];
    expect(run(windows).ignored).toEqual([
      { window: "ranking/production/d01", reason: "other-project" },
      { window: "eta/canary/d01", reason: "release-not-served" },
      { window: "eta/production/d01", reason: "release-not-served" },
    ]);
    // With no canary open, canary windows have no release to judge.
    const closed: MonitorState = { production: "eta_v1", seenWindows: new Set() };
    expect(run([makeWindow({ alias: "canary", day: 1 })], closed).ignored.map((i) => i.reason)).toEqual(["release-not-served"]);
  });

  it("rolls production back on an SLO breach, naming the release to restore", () => {
    const recall = (i: number): number => (i < 18 ? 0.91 : 0.91 - 0.006 * (i - 18));
    const windows = Array.from({ length: 30 }, (_, i) => makeWindow({ alias: "production", day: i + 1, labelled: 500, metrics: { recall: recall(i) } }));
    const state: MonitorState = { production: "eta_v1", lastKnownGood: "eta_v0", seenWindows: new Set() };
    const outcome = run(windows, state);
    expect(outcome.decisions.map((d) => [decisionKey(d), d.kind === "rollback" && d.restore])).toEqual([
      ["rollback@eta/production/d29", "eta_v0"],
    ]);
    // Recorded but not yet acted on (a dry run): the breach is not raised twice.
    expect(run(windows, after(state, outcome.seen)).decisions).toEqual([]);
  });

  it("turns drift into a retrain trigger without rolling back, and judges drift once per window", () => {
    const edges = [0, 1, 2, 4, 8];
    const references = { scan_gap_hours: Distribution.parse({ edges, proportions: [0.4, 0.3, 0.2, 0.1] }) };
    const windows = [1, 2].map((day) =>
      makeWindow({
        alias: "production",
        day,
        labelled: 500,
        metrics: { recall: 0.91 },
        distributions: { scan_gap_hours: { edges, proportions: [0.1, 0.2, 0.3, 0.4] } },
      }),
    );
    const state: MonitorState = { production: "eta_v1", seenWindows: new Set() };
    const first = run(windows, state, references);
    expect(first.decisions.map(decisionKey)).toEqual(["retrain@eta/production/d01"]);
    expect(run(windows, after(state, first.seen), references).decisions).toEqual([]);
  });
});
