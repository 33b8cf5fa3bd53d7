/**
 * The monitoring plots of one project: the SLO metric's rolling mean against
 * its floor, PSI per drift feature against warn and act, and the labelled
 * outcomes each canary gathered against the minimum it needs to be judged.
 */
import { breaches } from "../../monitor/index.js";
import { formatNumber, formatTime } from "./format.js";
import { PALETTE, renderLineChart, type ChartSeries } from "./render-chart.js";
import type { MonitorFeed, MonitorView, WindowPoint } from "./report-model.js";
import { domId, html, type SafeHtml } from "./safe-html.js";

const RED = "#c62828";
const AMBER = "#b7791f";
const GREY = "#555";

/**
 * The monitoring section: one set of plots per window file (the newest
 * shown first, the others a click away), or a note saying why there is
 * nothing to plot.
 */
export function renderMonitor(project: string, view: MonitorView): SafeHtml {
  const problems = view.problems.length > 0 ? html`<ul class="problems">${view.problems.map((p) => html`<li>${p}</li>`)}</ul>` : null;
  if (view.feeds.length === 0) {
    return html`<p class="note no-windows">No windows: no usable window files in <code>${view.dir}/</code>.</p>${problems}`;
  }
  const source = view.policySource
    ? html`<p class="muted">Thresholds from ${view.policySource}.</p>`
    : html`<p class="note">No monitor policy for ${project}: the windows have nothing to be plotted against.</p>`;
  const group = domId("feed", project);
  const chips =
    view.feeds.length > 1
      ? html`<div class="feed-chips">${view.feeds.map(
          (f, i) =>
            html`<button type="button" class="feed-chip${i === 0 ? " selected" : ""}" aria-pressed="${String(i === 0)}" data-feed="${f.file}" data-show="${domId("feed", project, f.file)}" data-group="${group}">${basename(f.file)} <span class="muted">${f.windowCount}</span></button>`,
        )}</div>`
      : null;
  const panels = view.feeds.map(
    (feed, i) => html`<div class="feed" id="${domId("feed", project, feed.file)}" data-panel-group="${group}" data-feed-panel="${feed.file}"${i === 0 ? "" : html` hidden`}>
<p class="muted">${feed.windowCount} window${feed.windowCount === 1 ? "" : "s"} from <code>${feed.file}</code>${feed.latestEnd ? `, up to ${formatTime(feed.latestEnd)}` : ""}.</p>
${view.policySource ? html`<div class="charts">${sloChart(feed)}${driftChart(feed)}${labelledChart(feed)}</div>` : null}
</div>`,
  );
  return html`${problems}${source}${chips}${panels}`;
}

/** The file name of a workspace-relative path. */
function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function sloChart(view: MonitorFeed): SafeHtml | null {
  const slo = view.slo;
  if (!slo) return null;
  if (slo.values.length === 0) return html`<p class="note">SLO ${slo.metric}: no production windows yet.</p>`;
  // The rule's own comparison, so a mean sitting on the floor is not painted as a breach.
  const breaching = (v: number | null): boolean => v !== null && breaches(v, slo);
  const rolling = values(slo.rolling);
  const series: ChartSeries[] = [
    { label: `${slo.metric} per window`, colour: "#8aa4c8", values: values(slo.values), dashed: true },
    { label: `rolling mean (W=${slo.window})`, colour: PALETTE[0]!, values: rolling, markerColour: (i) => (breaching(rolling[i] ?? null) ? RED : undefined) },
  ];
  return renderLineChart({
    title: `Production ${slo.metric}: rolling mean of ${slo.window} against the ${slo.direction === "higher" ? "floor" : "ceiling"} (fires after ${slo.consecutive} in a row)`,
    yLabel: slo.metric,
    categories: slo.values.map((p) => p.window),
    dividers: releaseDividers(slo.values),
    series,
    thresholds: [{ label: slo.direction === "higher" ? "floor" : "ceiling", value: slo.floor, colour: RED }],
  });
}

function driftChart(view: MonitorFeed): SafeHtml | null {
  const drift = view.drift;
  if (!drift) return null;
  const first = drift.features[0];
  if (!first || first.points.length === 0) return html`<p class="note">Drift: no production windows yet.</p>`;
  const chart = renderLineChart({
    title: `PSI per feature against warn ${formatNumber(drift.warnPsi)} and act ${formatNumber(drift.actPsi)}`,
    yLabel: "PSI",
    categories: first.points.map((p) => p.window),
    dividers: releaseDividers(first.points),
    series: drift.features.map((f, i) => ({ label: f.feature, colour: PALETTE[i % PALETTE.length]!, values: values(f.points) })),
    thresholds: [
      { label: "warn", value: drift.warnPsi, colour: AMBER },
      { label: "act", value: drift.actPsi, colour: RED },
    ],
    fromZero: true,
  });
  const notes = drift.features.flatMap((f) => [
    ...f.references.map((r) => `${f.feature} reference — ${r}`),
    ...f.skipped.map((s) => `${f.feature} not computed for ${s}`),
  ]);
  return html`<div class="chart-block">${chart}${notes.length > 0 ? html`<ul class="chart-notes">${notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}</div>`;
}

function labelledChart(view: MonitorFeed): SafeHtml | null {
  const labelled = view.labelled;
  if (!labelled) return null;
  const first = labelled.releases[0];
  if (!first) return html`<p class="note">Canary: no canary windows yet.</p>`;
  const chart = renderLineChart({
    title: `Canary labelled outcomes (cumulative) against the minimum of ${labelled.minLabelled} over at least ${labelled.minWindows} labelled windows`,
    yLabel: "labelled outcomes",
    categories: first.points.map((p) => p.window),
    series: labelled.releases.map((r, i) => ({ label: r.release, colour: PALETTE[i % PALETTE.length]!, values: values(r.points) })),
    thresholds: [{ label: "minimum", value: labelled.minLabelled, colour: GREY }],
    fromZero: true,
  });
  const counts = labelled.releases.map(
    (r) => html`<li>${r.release}: ${formatNumber(r.points.reduce((m, p) => Math.max(m, p.value ?? 0), 0))} labelled over ${r.labelledWindows} labelled windows</li>`,
  );
  return html`<div class="chart-block">${chart}<ul class="chart-notes">${counts}</ul></div>`;
}

function values(points: readonly WindowPoint[]): (number | null)[] {
  return points.map((p) => p.value);
}

/** Where the serving release changes along the windows, labelled with the release that starts; none for a single release. */
function releaseDividers(points: readonly WindowPoint[]): { index: number; label: string }[] {
  const starts = points.flatMap((p, i) => (i === 0 || points[i - 1]?.release !== p.release ? [{ index: i, label: p.release }] : []));
  return starts.length > 1 ? starts : [];
}
