/**
 * The monitoring plots' data, computed with the monitor's own maths so the
 * page shows what the controller judged: the SLO metric's rolling mean per
 * production release, PSI per drift feature, and the labelled outcomes a
 * canary has gathered against the minimum it needs.
 */
import { compareWindows, psi, rollingMeans, type Distribution, type LiveWindow, type MonitorPolicy } from "../../monitor/index.js";
import type { WindowFile } from "./read-report-files.js";
import type { LabelledSeries, MonitorFeed, MonitorView, PsiSeries, SloSeries, WindowPoint } from "./report-model.js";

/** What the monitoring section is built from. */
export interface MonitorEvidence {
  readonly dir: string;
  readonly files: readonly WindowFile[];
  readonly problems: readonly string[];
  readonly policy: MonitorPolicy | undefined;
  readonly policySource: string | undefined;
  /** Reference distributions recorded for a release, when it has any. */
  readonly references: (release: string) => Readonly<Record<string, Distribution>> | undefined;
}

/** Builds the monitoring view of one project: a feed per window file, newest first. */
export function monitorView(evidence: MonitorEvidence): MonitorView {
  const feeds = evidence.files
    .filter((file) => file.windows.length > 0)
    .map((file) => monitorFeed(file, evidence.policy, evidence.references))
    .sort((a, b) => (b.latestEnd ?? "").localeCompare(a.latestEnd ?? "") || a.file.localeCompare(b.file));
  return { dir: evidence.dir, problems: evidence.problems, policySource: evidence.policy ? evidence.policySource : undefined, feeds };
}

function monitorFeed(file: WindowFile, policy: MonitorPolicy | undefined, references: MonitorEvidence["references"]): MonitorFeed {
  const sorted = [...file.windows].sort(compareWindows);
  const production = sorted.filter((w) => w.alias === "production");
  const canary = sorted.filter((w) => w.alias === "canary");
  return {
    file: file.path,
    windowCount: sorted.length,
    latestEnd: sorted.reduce<string | undefined>((latest, w) => (latest === undefined || Date.parse(w.end) > Date.parse(latest) ? w.end : latest), undefined),
    slo: policy ? sloSeries(production, policy.slo) : undefined,
    drift: policy?.drift
      ? {
          warnPsi: policy.drift.warnPsi,
          actPsi: policy.drift.actPsi,
          features: policy.drift.features.map((feature) => psiSeries(production, feature, references)),
        }
      : undefined,
    labelled: policy
      ? {
          minLabelled: policy.canary.delayed.minLabelled,
          minWindows: policy.canary.delayed.minWindows,
          releases: labelledSeries(canary, policy.canary.delayed.metric),
        }
      : undefined,
  };
}

/**
 * The SLO metric per production window and its rolling mean. As in the rule,
 * only windows whose labels carry the metric enter the mean, and each release
 * is judged on its own windows, so the mean restarts when production moves.
 */
function sloSeries(windows: readonly LiveWindow[], slo: MonitorPolicy["slo"]): SloSeries {
  const valueOf = (w: LiveWindow): number | null => (w.outcomes.labelled > 0 ? (w.outcomes.metrics[slo.metric] ?? null) : null);
  const rollingByWindow = new Map<string, number>();
  for (const release of releasesInOrder(windows)) {
    const labelled = windows.filter((w) => w.release === release && valueOf(w) !== null);
    const means = rollingMeans(labelled.map((w) => valueOf(w) as number), slo.window);
    labelled.forEach((w, i) => {
      const mean = means[i];
      if (mean !== undefined) rollingByWindow.set(w.window, mean);
    });
  }
  return {
    metric: slo.metric,
    direction: slo.direction,
    floor: slo.floor,
    window: slo.window,
    consecutive: slo.consecutive,
    values: windows.map((w) => ({ window: w.window, release: w.release, value: valueOf(w) })),
    rolling: windows.map((w) => ({ window: w.window, release: w.release, value: rollingByWindow.get(w.window) ?? null })),
  };
}

/**
 * PSI of one feature per production window, against the release's recorded
 * reference distribution. A release with none recorded is compared with its
 * own first window carrying the feature, and the series says so.
 */
function psiSeries(
  windows: readonly LiveWindow[],
  feature: string,
  references: MonitorEvidence["references"],
): PsiSeries {
  const described: string[] = [];
  const skipped: string[] = [];
  const baselines = new Map<string, { distribution: Distribution; window: string | undefined }>();
  for (const release of releasesInOrder(windows)) {
    const recorded = references(release)?.[feature];
    const first = windows.find((w) => w.release === release && w.distributions?.[feature] !== undefined);
    if (recorded) {
      baselines.set(release, { distribution: recorded, window: undefined });
      described.push(`${release}: its recorded reference distribution`);
    } else if (first) {
      baselines.set(release, { distribution: first.distributions![feature]!, window: first.window });
      described.push(`${release}: its first window ${first.window} (no reference distribution recorded)`);
    }
  }
  const points: WindowPoint[] = windows.map((w) => {
    const live = w.distributions?.[feature];
    const baseline = baselines.get(w.release);
    if (!live || !baseline || baseline.window === w.window) return { window: w.window, release: w.release, value: null };
    const figure = psi(baseline.distribution, live);
    if (!figure.ok) {
      skipped.push(`${w.window}: ${figure.error.message}`);
      return { window: w.window, release: w.release, value: null };
    }
    return { window: w.window, release: w.release, value: figure.value.psi };
  });
  return { feature, points, references: described, skipped };
}

/**
 * Labelled outcomes each canary release has gathered, cumulated window by
 * window. As in the controller, a window counts only once its labels carry
 * the delayed metric.
 */
function labelledSeries(windows: readonly LiveWindow[], metric: string): LabelledSeries[] {
  return releasesInOrder(windows).map((release) => {
    let total = 0;
    let labelledWindows = 0;
    const points = windows.map((w) => {
      if (w.release !== release) return { window: w.window, release: w.release, value: null };
      if (w.outcomes.labelled > 0 && w.outcomes.metrics[metric] !== undefined) {
        total += w.outcomes.labelled;
        labelledWindows++;
      }
      return { window: w.window, release, value: total };
    });
    return { release, points, labelledWindows };
  });
}

/** Releases in the order their first window appears. */
function releasesInOrder(windows: readonly LiveWindow[]): string[] {
  return [...new Set(windows.map((w) => w.release))];
}
