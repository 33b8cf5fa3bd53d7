/**
 * A small line chart as inline SVG: categories along x (windows in time
 * order), series as polylines broken where a value is missing, and
 * horizontal threshold lines. Enough for the monitoring plots, legible
 * without a chart library.
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

  const grid = ticks.map(
    (t) => html`<line class="grid" x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(t)}" y2="${y(t)}"/>
<text class="tick" x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${formatNumber(t)}</text>`,
  );
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
  let legendX = PAD.left;
  const legend = chart.series.map((s) => {
    const at = legendX;
    legendX += 24 + s.label.length * CHAR_WIDTH + 16;
    return html`<g transform="translate(${at},12)"><line class="series${s.dashed ? " dashed" : ""}" stroke="${s.colour}" x1="0" x2="18" y1="0" y2="0"/><text class="legend" x="24" y="4">${s.label}</text></g>`;
  });
  return html`<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${chart.title}">
<title>${chart.title}</title>
${join(grid)}${join(thresholds)}
<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>
<line class="axis" x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}"/>
<text class="axis-label" transform="translate(14,${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${chart.yLabel}</text>
${join(xLabels)}${join(dividers)}${join(lines)}${join(legend)}
</svg><figcaption>${chart.title}</figcaption></figure>`;
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
