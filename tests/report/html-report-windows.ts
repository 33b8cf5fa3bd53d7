/**
 * A small live-window file for the report's end-to-end test: production
 * sliding below its SLO floor while one feature drifts, and a canary still
 * short of the labels it needs. Metric and feature names come from the
 * project's monitor policy, so the file stays valid as the policy evolves.
 */

/** The parts of a monitor policy the windows are shaped by. */
export interface WindowPolicy {
  readonly slo: { readonly metric: string };
  readonly canary: { readonly delayed: { readonly metric: string } };
  readonly drift?: { readonly features: readonly string[] };
}

/** Ten equal buckets over [0, 1], the shape evaluation reports record scores in. */
const EDGES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const BASE_COUNTS = [40, 80, 120, 160, 160, 140, 120, 90, 60, 30];
/** The primary metric per production window: a slow slide through the floor. */
const PRIMARY = [0.9, 0.88, 0.86, 0.84, 0.8, 0.77, 0.75, 0.74, 0.73, 0.72];
/** Labelled outcomes per canary window, arriving late. */
const CANARY_LABELS = [0, 60, 80, 90];

/** A recorded reference distribution, as an evaluation report keeps it. */
export interface Reference {
  readonly edges: readonly number[];
  readonly counts?: readonly number[];
  readonly proportions?: readonly number[];
}

/**
 * JSON lines for `project`: ten production windows of `production`, four
 * canary windows of `canary`. Distributions start from the release's
 * recorded reference when given (so PSI starts near 0) and the first drift
 * feature slides upward window by window.
 */
export function liveWindows(
  project: string,
  production: string,
  canary: string,
  policy: WindowPolicy,
  references: Readonly<Record<string, Reference>> = {},
): string {
  const day = (i: number) => ({
    start: `2026-06-${String(i + 1).padStart(2, "0")}T00:00:00Z`,
    end: `2026-06-${String(i + 1).padStart(2, "0")}T23:59:59Z`,
  });
  const healthy = { service: { requests: 1000, errors: 2, p50LatencyMs: 40, p99LatencyMs: 150 }, data: { freshnessLagMinutes: 12 } };
  const features = policy.drift?.features ?? [];
  const lines: object[] = PRIMARY.map((value, i) => ({
    project,
    alias: "production",
    release: production,
    window: `w${String(i + 1).padStart(2, "0")}`,
    ...day(i),
    ...healthy,
    outcomes: { labelled: 150, metrics: { [policy.slo.metric]: value, [policy.canary.delayed.metric]: 0.3 } },
    distributions: Object.fromEntries(features.map((f, j) => [f, distribution(references[f], j === 0 ? i : 0)])),
  }));
  CANARY_LABELS.forEach((labelled, i) => {
    lines.push({
      project,
      alias: "canary",
      release: canary,
      window: `c${String(i + 1).padStart(2, "0")}`,
      ...day(6 + i),
      ...healthy,
      outcomes: labelled === 0 ? { labelled: 0, metrics: {} } : { labelled, metrics: { [policy.canary.delayed.metric]: 0.29 } },
    });
  });
  return `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`;
}

/** The reference (or a default histogram) with `step` twentieths of each bucket's mass moved one bucket up. */
function distribution(reference: Reference | undefined, step: number): { edges: readonly number[]; counts: number[] } {
  const base = reference?.counts ?? reference?.proportions?.map((p) => Math.round(p * 1000));
  const counts = [...(reference && base ? base : BASE_COUNTS)];
  for (let b = counts.length - 2; b >= 0; b--) {
    const moved = Math.round((counts[b]! * step) / 20);
    counts[b]! -= moved;
    counts[b + 1]! += moved;
  }
  return { edges: reference && base ? reference.edges : EDGES, counts };
}
