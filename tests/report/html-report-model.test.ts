/**
 * The pure parts of the HTML report: how a stage's last status is decided,
 * how decisions explain themselves, what the monitoring plots are computed
 * from, and that nothing a person typed can become markup.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Decision } from "../../contracts/index.js";
import type { HistoryEntry } from "../../src/cache/index.js";
import type { StageResult } from "../../src/exec/index.js";
import { LiveWindow, MonitorPolicy } from "../../src/monitor/index.js";
import { readProjectWindows, renderReportPage, type ReportModel } from "../../src/dashboard/html/index.js";
import { monitorView } from "../../src/dashboard/html/monitor-series.js";
import { decisionReasons } from "../../src/dashboard/html/release-timeline.js";
import { renderMonitor } from "../../src/dashboard/html/render-monitor.js";
import { nodeStatus } from "../../src/dashboard/html/stage-nodes.js";

const temp = mkdtempSync(join(tmpdir(), "sluice-report-model-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("a stage's last status", () => {
  const result = (status: StageResult["status"], key = "k1") => ({ status, key }) as StageResult;
  const entry = (status: HistoryEntry["status"], key = "k1", run = "inv2.3") => ({ status, key, run }) as HistoryEntry;

  test.each([
    ["a hit executed by the project's latest run at this key", result("cached"), entry("ran"), "ran"],
    ["a hit whose latest execution was an earlier run", result("cached"), entry("ran", "k1", "inv1.1"), "cached"],
    ["a hit at a key other than its latest execution", result("cached", "k2"), entry("ran"), "cached"],
    ["a hit whose record moved nothing", result("held"), entry("held"), "held"],
    ["a stage whose latest attempt at this key failed", result("would-run"), entry("failed"), "failed"],
    ["a failed stage whose inputs changed since", result("would-run", "k2"), entry("failed"), "stale"],
    ["a stage that would run", result("would-run"), entry("ran", "k0"), "stale"],
    ["a hit whose outputs must be restored", result("restored"), entry("ran"), "stale"],
    ["a stage that never ran", result("would-run"), undefined, "stale"],
  ] as const)("%s", (_, current, last, expected) => {
    expect(nodeStatus(current, last, "inv2")).toBe(expected);
  });
});

describe("why a decision was taken", () => {
  const decision = (fields: Partial<Decision>): Decision =>
    ({ type: "decision", seq: 1, prev: null, at: "2026-06-01T00:00:00Z", actor: "bot", project: "eta", release: "eta_v2", failed: [], reason: "", evidence: {}, key: null, ...fields }) as Decision;

  test("a hold names its failed and missing gates, without repeating them", () => {
    const hold = decision({
      decision: "hold",
      failed: ["critical_slice_pass", "freshness"],
      reason: "gates failed or missing: critical_slice_pass, freshness",
      evidence: { missing: ["freshness"] },
    });
    expect(decisionReasons(hold)).toEqual(["failed gates: critical_slice_pass, freshness", "missing gates: freshness"]);
  });

  test("a pause says how many labels are missing", () => {
    const pause = decision({
      decision: "pause",
      reason: "needs 270 more labelled outcomes",
      evidence: {
        rule: "canary.delayed.minEvidence",
        figures: { labelled: 230, minLabelled: 500, labelledWindows: 2, minWindows: 3 },
        needs: { labels: 270, windows: 1 },
      },
    });
    expect(decisionReasons(pause)).toEqual([
      "labels missing: 270 (230 of 500 labelled)",
      "labelled windows: 2 of 3",
      "rule applied: canary.delayed.minEvidence",
      "needs 270 more labelled outcomes",
    ]);
  });

  test("a rollback names the rule that fired, once", () => {
    const rollback = decision({
      decision: "rollback",
      release: "eta_v3",
      failed: ["slo.late_warning_recall"],
      evidence: { rule: "slo.late_warning_recall", reason: "slo_breach", figures: { floor: 0.8 } },
    });
    expect(decisionReasons(rollback)).toEqual(["rule fired: slo.late_warning_recall (slo_breach)"]);
  });
});

describe("the monitoring plots", () => {
  const policy = MonitorPolicy.parse({
    project: "eta",
    canary: {
      immediate: {},
      delayed: { metric: "cost", direction: "lower", minLabelled: 100, minWindows: 2, margin: 0.01 },
      pauseDeadline: { windows: 6 },
    },
    slo: { metric: "recall", direction: "higher", floor: 0.8, window: 2, consecutive: 2 },
    drift: { features: ["score"], warnPsi: 0.1, actPsi: 0.25 },
  });
  const edges = [0, 0.5, 1];
  const window = (alias: "canary" | "production", release: string, day: number, labelled: number, metrics: Record<string, number>, counts?: number[]) =>
    LiveWindow.parse({
      project: "eta",
      alias,
      release,
      window: `d${day}`,
      start: `2026-06-0${day}T00:00:00Z`,
      end: `2026-06-0${day}T23:59:59Z`,
      service: { requests: 100, errors: 0, p50LatencyMs: 10, p99LatencyMs: 20 },
      outcomes: { labelled, metrics },
      ...(counts ? { distributions: { score: { edges, counts } } } : {}),
    });

  test("the rolling mean restarts when production changes release, and skips windows without labels", () => {
    const windows = [
      window("production", "eta_v1", 1, 10, { recall: 0.9 }),
      window("production", "eta_v1", 2, 10, { recall: 0.7 }),
      window("production", "eta_v1", 3, 0, {}),
      window("production", "eta_v2", 4, 10, { recall: 0.6 }),
      window("production", "eta_v2", 5, 10, { recall: 0.8 }),
    ];
    const [feed] = monitorView({ dir: "live", files: [{ path: "live/a.jsonl", windows }], problems: [], policy, policySource: "test", references: () => undefined }).feeds;
    expect(feed?.slo?.values.map((p) => p.value)).toEqual([0.9, 0.7, null, 0.6, 0.8]);
    expect(feed?.slo?.rolling.map((p) => (p.value === null ? null : Number(p.value.toFixed(6))))).toEqual([null, 0.8, null, null, 0.7]);
  });

  test("PSI is taken against the recorded reference, or else the release's first window, which says so", () => {
    const windows = [window("production", "eta_v1", 1, 0, {}, [50, 50]), window("production", "eta_v1", 2, 0, {}, [20, 80])];
    const recorded = { score: { edges, counts: [50, 50] } };
    const withReference = monitorView({ dir: "live", files: [{ path: "live/a.jsonl", windows }], problems: [], policy, policySource: "test", references: () => recorded });
    const psi = withReference.feeds[0]?.drift?.features[0];
    expect(psi?.points[0]?.value).toBe(0);
    expect(psi?.points[1]?.value).toBeCloseTo((0.2 - 0.5) * Math.log(0.2 / 0.5) + (0.8 - 0.5) * Math.log(0.8 / 0.5), 9);
    const fallback = monitorView({ dir: "live", files: [{ path: "live/a.jsonl", windows }], problems: [], policy, policySource: "test", references: () => undefined });
    const baseline = fallback.feeds[0]?.drift?.features[0];
    expect(baseline?.points.map((p) => p.value === null)).toEqual([true, false]);
    expect(baseline?.references).toEqual(["eta_v1: its first window d1 (no reference distribution recorded)"]);
  });

  test("labelled outcomes accumulate per canary release, counting windows that carry the metric", () => {
    const windows = [window("canary", "eta_v2", 1, 0, {}), window("canary", "eta_v2", 2, 40, { cost: 1 }), window("canary", "eta_v2", 3, 30, { cost: 1 })];
    const labelled = monitorView({ dir: "live", files: [{ path: "live/a.jsonl", windows }], problems: [], policy, policySource: "test", references: () => undefined }).feeds[0]?.labelled;
    expect(labelled?.minLabelled).toBe(100);
    expect(labelled?.releases).toEqual([
      { release: "eta_v2", labelledWindows: 2, points: [0, 40, 70].map((value, i) => ({ window: `d${i + 1}`, release: "eta_v2", value })) },
    ]);
  });

  test("a project without window files gets a note, and a rejected file is named while the others are plotted", async () => {
    const none = await readProjectWindows(temp, "eta", join(temp, "projects", "eta"));
    expect(none).toEqual({ dir: "projects/eta/live", files: [], problems: [] });
    const view = monitorView({ ...none, policy, policySource: "test", references: () => undefined });
    expect(renderMonitor("eta", view).text).toContain("No windows: no usable window files in <code>projects/eta/live/</code>.");

    mkdirSync(join(temp, "projects", "eta", "live"), { recursive: true });
    writeFileSync(join(temp, "projects", "eta", "live", "bad.jsonl"), "{not json\n");
    writeFileSync(join(temp, "projects", "eta", "live", "good.jsonl"), `${JSON.stringify(window("production", "eta_v1", 1, 10, { recall: 0.9 }))}\n`);
    const read = await readProjectWindows(temp, "eta", join(temp, "projects", "eta"));
    expect(read.files.map((f) => [f.path, f.windows.length])).toEqual([["projects/eta/live/good.jsonl", 1]]);
    expect(read.problems).toEqual([expect.stringMatching(/^projects\/eta\/live\/bad\.jsonl:1: not JSON/)]);
  });
});

test("text from the registry is escaped, and the page carries its only script inline", () => {
  const hostile = `<script>alert("x")</script>`;
  const model: ReportModel = {
    generatedAt: "2026-06-01T00:00:00Z",
    workspace: "/ws",
    notes: [hostile],
    projects: [
      {
        name: "eta",
        dag: { nodes: [], width: 24, height: 24, boxes: {}, edges: [] },
        releases: [],
        timeline: [{ seq: 1, at: "2026-06-01T00:00:00Z", actor: hostile, type: "approval", decision: undefined, release: "eta_v1", title: hostile, why: [hostile], evidence: { note: hostile } }],
        aliasSpans: [],
        gateTables: [],
        monitor: { dir: "projects/eta/live", problems: [], policySource: undefined, feeds: [] },
        lineage: [],
        // A plot file's title, revision and column names are whatever a stage wrote.
        plots: [{ path: hostile, stage: "eta:train", title: hostile, x: hostile, series: [{ revision: hostile, y: hostile, x: [0, 1], values: [1, 2] }] }],
      },
    ],
  };
  const page = renderReportPage(model);
  expect(page).not.toContain(hostile);
  expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  expect(page.match(/<script\b/g)).toHaveLength(1);
  expect(page.match(/<polyline\b/g)).toHaveLength(1);
  expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
});
