/**
 * Writes the live-window fixtures of every project (`projects/<name>/live/`),
 * the windows its monitoring story replays (see each project's README):
 *
 *   canary-pause.jsonl        v3 canary, days 1-2: too few labels -> pause
 *   canary-promote.jsonl      days 1..K+1: enough labels, quality holds -> promote
 *   production-rollback.jsonl v3 in production: the SLO decays (eta, forecast) or
 *                             a rollback event spikes (ranking, vision) -> rollback to v1
 *   drift-warn.jsonl          v1 back in production: PSI between warn and act -> warn
 *   drift-act.jsonl           PSI past act -> retrain (a new candidate, v4)
 *   canary-abort.jsonl        v4 canary: service health fails at once -> abort
 *
 * Numbers come from the policy (`contracts/promotion_policy.json`), so the
 * fixtures follow it; drift windows are mixed from the reference
 * distributions of a run of v1 (`projects/<name>/reports/evaluation.json` in
 * the workspace given as the first argument, default this one).
 *
 *   node --import tsx scripts/generate-live-windows.ts [workspace]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PromotionPolicy } from "../contracts/index.js";
import { psi, type Distribution, type LiveWindow, type MonitorPolicy } from "../src/monitor/index.js";

const REPO = resolve(import.meta.dirname, "..");
const source = resolve(process.argv[2] ?? REPO);
const policies = PromotionPolicy.parse(JSON.parse(readFileSync(join(REPO, "contracts/promotion_policy.json"), "utf8")));

/** What differs per project beyond its policy. */
interface ProjectLive {
  /** Healthy data-health figures, in the fields its policy checks. */
  readonly data: LiveWindow["data"];
  /** How production v3 fails: its SLO metric decays, or a rollback counter spikes. */
  readonly failure: "slo" | "event";
  /** Healthy values of the delayed and SLO metrics (production; the canary does slightly better). */
  readonly delayed: number;
  readonly slo: number;
  /** Change of the SLO metric per day once it decays (sign: towards the bad side). */
  readonly decay: number;
  /** Labelled outcomes per window. */
  readonly labels: number;
}

const PROJECTS: Readonly<Record<string, ProjectLive>> = {
  eta: { data: { freshnessLagMinutes: 35 }, failure: "slo", delayed: 0.31, slo: 0.86, decay: -0.008, labels: 200 },
  ranking: { data: { candidateSupply: 84 }, failure: "event", delayed: 0.041, slo: 0.71, decay: 0, labels: 600 },
  forecast: { data: { freshnessLagMinutes: 620 }, failure: "slo", delayed: 9.2, slo: 9.2, decay: 0.45, labels: 2 },
  vision: { data: { usableImageRate: 0.95 }, failure: "event", delayed: 0.9, slo: 0.9, decay: 0, labels: 120 },
};

const DAY = 86_400_000;
const EPOCH = Date.parse("2026-06-01T00:00:00Z");

for (const [project, live] of Object.entries(PROJECTS)) {
  const policy = policies.projects[project]!.monitor.criteria;
  const files = fixturesOf(project, policy, live, referencesOf(project));
  const dir = join(REPO, "projects", project, "live");
  mkdirSync(dir, { recursive: true });
  for (const [name, windows] of Object.entries(files)) {
    writeFileSync(join(dir, name), windows.map((w) => JSON.stringify(w)).join("\n") + "\n");
  }
  console.log(`${project}: ${Object.keys(files).join(", ")}`);
}

function fixturesOf(project: string, policy: MonitorPolicy, live: ProjectLive, references: Record<string, Distribution>): Record<string, LiveWindow[]> {
  const delayed = policy.canary.delayed;
  const slo = policy.slo;
  const better = (value: number, direction: "higher" | "lower", by: number) => (direction === "higher" ? value + by : value - by);
  const v = (n: number) => `${project}_v${n}`;
  const healthy = { requests: 5000, errors: 5, p50LatencyMs: 40, p99LatencyMs: 120 };
  const window = (alias: "canary" | "production", release: string, day: number, extra: Partial<LiveWindow> = {}): LiveWindow => ({
    project,
    alias,
    release,
    window: new Date(EPOCH + day * DAY).toISOString().slice(0, 10),
    start: new Date(EPOCH + day * DAY).toISOString(),
    end: new Date(EPOCH + (day + 1) * DAY).toISOString(),
    service: healthy,
    data: live.data,
    outcomes: { labelled: 0, metrics: {} },
    ...extra,
  });
  const labelled = (metrics: Record<string, number>) => ({ outcomes: { labelled: live.labels, metrics } });
  const round = (x: number) => Math.round(x * 10_000) / 10_000;

  // Canary v3 against production v1: labelled windows until the evidence is enough, one day more.
  const promoteDays = delayed.minWindows + 1;
  const canaryDay = (day: number) => [
    // The SLO metric first: where it is also the delayed metric (forecast, vision), the delayed value wins.
    window("production", v(1), day, labelled({ [slo.metric]: live.slo, [delayed.metric]: live.delayed })),
    window("canary", v(3), day, labelled({ [slo.metric]: live.slo, [delayed.metric]: round(better(live.delayed, delayed.direction, delayed.margin / 4)) })),
  ];
  const promote = range(0, promoteDays).flatMap(canaryDay);
  const pause = range(0, 2).flatMap(canaryDay);

  // Production v3 for 30 days: the SLO metric decays from day 18, or a rollback counter spikes on day 12.
  const firstProduction = promoteDays;
  const rollback = range(0, 30).map((d) => {
    const decayed = live.failure === "slo" && d >= 18 ? live.slo + live.decay * (d - 17) : live.slo;
    const events = live.failure === "event" ? { [policy.rollbackEvents[0]!.counter]: d === 12 ? policy.rollbackEvents[0]!.maxPerWindow + 7 : 0 } : {};
    return window("production", v(3), firstProduction + d, { ...labelled({ [slo.metric]: round(decayed) }), events });
  });

  // v1 back in production: three windows of moderate drift, then three past the act threshold.
  const drift = policy.drift!;
  const firstDrift = firstProduction + 30;
  const drifted = (day: number, target: number) =>
    window("production", v(1), day, {
      ...labelled({ [slo.metric]: live.slo }),
      distributions: Object.fromEntries(drift.features.map((f) => [f, shifted(references[f]!, target)])),
    });
  const warnPsi = (drift.warnPsi + drift.actPsi) / 2;
  const actPsi = drift.actPsi * 2;

  // The retrained candidate (v4) as canary: p99 latency (or errors, where latency is not checked) fails at once.
  const { immediate } = policy.canary;
  const broken = immediate.maxP99LatencyMs !== undefined
    ? { ...healthy, p99LatencyMs: immediate.maxP99LatencyMs * 2.5 }
    : { ...healthy, errors: Math.ceil(healthy.requests * (immediate.maxErrorRate ?? 0.01) * 3) };
  const firstAbort = firstDrift + 6;

  return {
    "canary-pause.jsonl": pause,
    "canary-promote.jsonl": promote,
    "production-rollback.jsonl": rollback,
    "drift-warn.jsonl": range(0, 3).map((d) => drifted(firstDrift + d, warnPsi)),
    "drift-act.jsonl": range(3, 6).map((d) => drifted(firstDrift + d, actPsi)),
    "canary-abort.jsonl": [window("canary", v(4), firstAbort, { service: broken })],
  };
}

/** The reference distributions of the v1 run, by feature. */
function referencesOf(project: string): Record<string, Distribution> {
  const report = JSON.parse(readFileSync(join(source, "projects", project, "reports", "evaluation.json"), "utf8")) as { reference: Record<string, Distribution> };
  return report.reference;
}

/**
 * 1000 observations whose PSI against `reference` is close to `target`: the
 * reference mixed with a point mass on its emptiest bucket, the mixing
 * weight found by bisection (PSI grows with it).
 */
function shifted(reference: Distribution, target: number): Distribution {
  const counts = reference.counts!;
  const total = counts.reduce((a, b) => a + b, 0);
  const base = counts.map((c) => c / total);
  const emptiest = base.indexOf(Math.min(...base));
  const mix = (alpha: number) => base.map((s, i) => (1 - alpha) * s + (i === emptiest ? alpha : 0));
  const toCounts = (shares: number[]) => shares.map((s) => Math.round(s * 1000));
  const psiOf = (alpha: number) => {
    const result = psi(reference, { edges: reference.edges, counts: toCounts(mix(alpha)) });
    return result.ok ? result.value.psi : Number.NaN;
  };
  let lo = 0, hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (psiOf(mid) < target) lo = mid;
    else hi = mid;
  }
  return { edges: reference.edges, counts: toCounts(mix(hi)) };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
