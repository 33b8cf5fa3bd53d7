/**
 * A small line chart as inline SVG: categories along x (windows in time
 * order), series as polylines broken where a value is missing, and
 * horizontal threshold lines. Enough for the monitoring plots, legible
 * without a chart library. An x-y chart shares its axes and legend, for
 * series whose x is a number (the plots stages declare).
 */
import { formatNumber } from "./format.js";
import { html, join, type SafeHtml } from "./safe-html.js";

/** One plotted series; `values` has one entry per category (null: nothing to draw). */
export interface ChartSeries {
  readonly label: string;
  readonly colour: string;
  readonly values: readonly (number | null)[];
  readonly dashed?: boolean;
  /** Colour of the marker at index i, when it should stand out (a breach). */
  readonly markerColour?: (index: number) => string | undefined;
}

/** A horizontal reference line: a floor, a threshold, a minimum. */
export interface ChartThreshold {
  readonly label: string;
  readonly value: number;
  readonly colour: string;
}

export interface LineChart {
  readonly title: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly thresholds: readonly ChartThreshold[];
  /** Always include 0 on the y axis (counts, PSI). */
  readonly fromZero?: boolean;
  /** Vertical markers before a category, e.g. where production changed release. */
  readonly dividers?: readonly { readonly index: number; readonly label: string }[];
}

/** Series colours, picked in order; readable on white and distinct in greyscale. */
export const PALETTE: readonly string[] = ["#1f5fa8", "#c4621a", "#2b8a3e", "#7b3fa0", "#8a6d00", "#b0306a"];

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { left: 58, right: 120, top: 30, bottom: 40 };
/** Approximate width of one character of an 11px tick label, to keep x labels apart. */
const CHAR_WIDTH = 6.4;

/** Renders the chart; a chart with no values says so instead of drawing empty axes. */
export function renderLineChart(chart: LineChart): SafeHtml {
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (values.length === 0) return html`<p class="note">${chart.title}: no values in the windows yet.</p>`;
  const [low, high] = yRange([...values, ...chart.thresholds.map((t) => t.value)], chart.fromZero === true);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = chart.categories.length;
  const x = (i: number): number => PAD.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number): number => PAD.top + plotH - ((v - low) / (high - low)) * plotH;
  const ticks = niceTicks(low, high);
  const longest = Math.max(...chart.categories.map((c) => c.length));
  const fit = Math.max(1, Math.floor(plotW / (longest * CHAR_WIDTH + 10)));
  const every = Math.max(1, Math.ceil(n / fit));

  const grid = yGrid(ticks, y);
  const xLabels = chart.categories.map((c, i) =>
    i % every === 0 ? html`<text class="tick" x="${x(i)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${c}</text>` : null,
  );
  const thresholds = chart.thresholds.map(
    (t) => html`<line class="threshold" stroke="${t.colour}" x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(t.value)}" y2="${y(t.value)}"/>
<text class="threshold-label" fill="${t.colour}" x="${PAD.left + plotW + 6}" y="${y(t.value) + 4}">${t.label} ${formatNumber(t.value)}</text>`,
  );
  const lines = chart.series.map((s) => {
    const segments = segmentsOf(s.values).map(
      (segment) =>
        html`<polyline class="series${s.dashed ? " dashed" : ""}" stroke="${s.colour}" points="${segment.map((i) => `${x(i)},${y(s.values[i] as number)}`).join(" ")}"/>`,
    );
    const markers = s.values.map((v, i) =>
      v === null
        ? null
        : html`<circle cx="${x(i)}" cy="${y(v)}" r="3.5" fill="${s.markerColour?.(i) ?? s.colour}"><title>${s.label} · ${chart.categories[i]}: ${formatNumber(v)}</title></circle>`,
    );
    return html`<g>${segments}${markers}</g>`;
  });
  const dividers = (chart.dividers ?? []).map((d) => {
    const at = d.index === 0 ? PAD.left : (x(d.index - 1) + x(d.index)) / 2;
    return html`<line class="divider" x1="${at}" x2="${at}" y1="${PAD.top}" y2="${PAD.top + plotH}"/><text class="divider-label" x="${at + 3}" y="${PAD.top + 10}">${d.label}</text>`;
  });
  return html`<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${chart.title}">
<title>${chart.title}</title>
${join(grid)}${join(thresholds)}
${axes(chart.yLabel)}
${join(xLabels)}${join(dividers)}${join(lines)}${legend(chart.series)}
</svg><figcaption>${chart.title}</figcaption></figure>`;
}

/** A series of an x-y chart: its own points, a null y breaking the line. */
export interface XYSeries {
  readonly label: string;
  readonly colour: string;
  readonly points: readonly (readonly [number, number | null])[];
  readonly dashed?: boolean;
}

/** A line chart over a numeric x axis, each series with its own x values (a precision-recall curve, a loss per step). */
export interface XYChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly XYSeries[];
}

/** Series with more points than this are drawn without markers, which would only blot the line. */
const MARKER_LIMIT = 60;

/** Renders an x-y chart; one with no values says so instead of drawing empty axes. */
export function renderXYChart(chart: XYChart): SafeHtml {
  const drawn = chart.series.flatMap((s) => s.points.filter((p): p is readonly [number, number] => p[1] !== null));
  if (drawn.length === 0) return html`<p class="note">${chart.title}: no values to draw.</p>`;
  const [low, high] = yRange(drawn.map((p) => p[1]), false);
  const [left, right] = xRange(drawn.map((p) => p[0]));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (v: number): number => PAD.left + ((v - left) / (right - left)) * plotW;
  const y = (v: number): number => PAD.top + plotH - ((v - low) / (high - low)) * plotH;
  const xTicks = niceTicks(left, right).filter((t) => t >= left && t <= right);
  const xLabels = xTicks.map((t) => html`<text class="tick" x="${x(t)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${formatNumber(t)}</text>`);
  const lines = chart.series.map((s) => {
    const values = s.points.map((p) => p[1]);
    const segments = segmentsOf(values).map(
      (segment) =>
        html`<polyline class="series${s.dashed ? " dashed" : ""}" stroke="${s.colour}" points="${segment.map((i) => `${x(s.points[i]?.[0] as number)},${y(values[i] as number)}`).join(" ")}"/>`,
    );
    const markers = s.points.length > MARKER_LIMIT
      ? []
      : s.points.map(([px, py]) =>
          py === null ? null : html`<circle cx="${x(px)}" cy="${y(py)}" r="3" fill="${s.colour}"><title>${s.label} · ${formatNumber(px)}: ${formatNumber(py)}</title></circle>`,
        );
    return html`<g class="plot-series" data-series="${s.label}">${segments}${markers}</g>`;
  });
  return html`<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${chart.title}">
<title>${chart.title}</title>
${join(yGrid(niceTicks(low, high), y))}
${axes(chart.yLabel)}
<text class="axis-label" x="${PAD.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${chart.xLabel}</text>
${join(xLabels)}${join(lines)}${legend(chart.series)}
</svg><figcaption>${chart.title}</figcaption></figure>`;
}

/** Horizontal grid lines with their y tick labels. */
function yGrid(ticks: readonly number[], y: (v: number) => number): SafeHtml[] {
  const right = WIDTH - PAD.right;
  return ticks.map(
    (t) => html`<line class="grid" x1="${PAD.left}" x2="${right}" y1="${y(t)}" y2="${y(t)}"/>
<text class="tick" x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${formatNumber(t)}</text>`,
  );
}

/** The two axes and the y axis label. */
function axes(yLabel: string): SafeHtml {
  const bottom = HEIGHT - PAD.bottom;
  return html`<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${bottom}"/>
<line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${bottom}" y2="${bottom}"/>
<text class="axis-label" transform="translate(14,${PAD.top + (bottom - PAD.top) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`;
}

/** The legend along the top: a line sample and the label of each series. */
function legend(series: readonly { readonly label: string; readonly colour: string; readonly dashed?: boolean }[]): SafeHtml {
  let legendX = PAD.left;
  return join(
    series.map((s) => {
      const at = legendX;
      legendX += 24 + s.label.length * CHAR_WIDTH + 16;
      return html`<g class="legend-entry" transform="translate(${at},12)"><line class="series${s.dashed ? " dashed" : ""}" stroke="${s.colour}" x1="0" x2="18" y1="0" y2="0"/><text class="legend" x="24" y="4">${s.label}</text></g>`;
    }),
  );
}

/** The x range: the values' own, widened a little when they are all one value. */
function xRange(values: readonly number[]): [number, number] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (high > low) return [low, high];
  const pad = Math.abs(high) * 0.1 || 1;
  return [low - pad, high + pad];
}

/** Runs of consecutive non-null indexes (a line never bridges a missing value). */
function segmentsOf(values: readonly (number | null)[]): number[][] {
  const segments: number[][] = [];
  let current: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) segments.push(current);
      current = [];
    } else current.push(i);
  });
  if (current.length > 0) segments.push(current);
  return segments;
}

/** The y range with a little headroom; a flat series still gets a visible band. */
function yRange(values: readonly number[], fromZero: boolean): [number, number] {
  let low = Math.min(...values, ...(fromZero ? [0] : []));
  let high = Math.max(...values);
  if (high === low) {
    const pad = Math.abs(high) * 0.1 || 1;
    return [fromZero ? Math.min(0, low) : low - pad, high + pad];
  }
  const pad = (high - low) * 0.08;
  high += pad;
  if (!fromZero || low < 0) low -= pad;
  return [low, high];
}

/** About five round tick values between low and high. */
function niceTicks(low: number, high: number): number[] {
  const raw = (high - low) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}
