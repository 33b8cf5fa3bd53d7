/**
 * The plots stages declare, drawn: one chart per plot file, one line per
 * revision (and per y column), a legend naming them. A numeric x gets an x-y
 * chart; text along x (labels, dates) is drawn by category. `plots show|diff`
 * write them as a page of their own; the report shows the workspace's.
 */
import { formatTime } from "./format.js";
import type { PlotsPage, PlotView, PlotViewSeries } from "./plot-view.js";
import { PALETTE, renderLineChart, renderXYChart } from "./render-chart.js";
import { renderDocument } from "./page-document.js";
import { html, type SafeHtml } from "./safe-html.js";

/** More points than this per series are thinned evenly (first and last kept): the page stays light and a line looks the same. */
const MAX_POINTS = 1000;

/** The figures of the plots, in order. */
export function renderPlotFigures(plots: readonly PlotView[]): SafeHtml {
  return html`<div class="charts">${plots.map(renderPlot)}</div>`;
}

/** The page of `sluice plots show|diff`. */
export function renderPlotsPage(page: PlotsPage): string {
  const body = html`<header>
<h1>sluice plots</h1>
<p class="muted">workspace <code>${page.workspace}</code> · generated ${formatTime(page.generatedAt)} · ${page.revisions.join(" vs ")}</p>
${page.problems.length > 0 ? html`<ul class="problems">${page.problems.map((p) => html`<li>${p}</li>`)}</ul>` : null}
</header>
<main>
${page.plots.length > 0 ? renderPlotFigures(page.plots) : html`<p class="note">No plots to draw.</p>`}
</main>
<footer>Each revision's plot files come from its sluice.lock and the cache; the workspace's from disk.</footer>`;
  return renderDocument(`sluice plots — ${page.revisions.join(" vs ")}`, body);
}

function renderPlot(plot: PlotView): SafeHtml {
  const revisions = new Set(plot.series.map((s) => s.revision));
  const columns = new Set(plot.series.map((s) => s.y));
  const label = (s: PlotViewSeries): string =>
    revisions.size > 1 ? (columns.size > 1 ? `${s.revision} · ${s.y}` : s.revision) : s.y;
  const series = plot.series.map((s, i) => ({ s: thin(s), label: label(s), colour: PALETTE[i % PALETTE.length] as string }));
  const yLabel = columns.size === 1 ? [...columns][0] ?? "" : "value";
  const numeric = plot.series.every((s) => s.x.every((x) => typeof x === "number"));
  const chart = numeric
    ? renderXYChart({
        title: plot.title,
        xLabel: plot.x,
        yLabel,
        series: series.map(({ s, label, colour }) => ({ label, colour, points: s.x.map((x, i) => [x as number, s.values[i] ?? null] as const) })),
      })
    : categoryChart(plot.title, yLabel, series);
  return html`<div class="plot" data-plot="${plot.path}" data-stage="${plot.stage}">${chart}</div>`;
}

/** Text along x: the categories in the order first met, each series' value per category. */
function categoryChart(title: string, yLabel: string, series: readonly { s: PlotViewSeries; label: string; colour: string }[]): SafeHtml {
  const categories = [...new Set(series.flatMap(({ s }) => s.x.map(String)))];
  return renderLineChart({
    title,
    yLabel,
    categories,
    thresholds: [],
    series: series.map(({ s, label, colour }) => {
      const byX = new Map(s.x.map((x, i) => [String(x), s.values[i] ?? null]));
      return { label, colour, values: categories.map((c) => byX.get(c) ?? null) };
    }),
  });
}

function thin(series: PlotViewSeries): PlotViewSeries {
  const n = series.x.length;
  if (n <= MAX_POINTS) return series;
  const keep = Array.from({ length: MAX_POINTS }, (_, i) => Math.round((i * (n - 1)) / (MAX_POINTS - 1)));
  return { ...series, x: keep.map((i) => series.x[i] as number | string), values: keep.map((i) => series.values[i] ?? null) };
}
