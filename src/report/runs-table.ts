/**
 * The `sluice runs` table. Params and metrics are written `name=value`
 * (nested ones dotted), and a row fits the terminal's 120 columns: metrics
 * first (what a reader compares runs by), params in what is left, each cut
 * with `…` where it does not fit. `--wide` shows every param in full.
 */
import type { Json } from "../pipeline/index.js";
import { formatDuration, table } from "./terminal.js";

/** What a row of the table shows of one executed stage. */
export interface RunRow {
  readonly run: string;
  readonly stage: string;
  readonly status: string;
  readonly durationMs: number;
  readonly params: Readonly<Record<string, Json>>;
  readonly metrics: Json | undefined;
}

/** The width a row keeps to unless `wide`. */
export const RUNS_WIDTH = 120;

const GAP = 2;
const HEADER = ["run", "stage", "status", "duration", "params", "metrics"] as const;

/** The table of `rows`, each line at most {@link RUNS_WIDTH} columns unless `wide`. */
export function renderRunsTable(rows: readonly RunRow[], options: { readonly wide?: boolean; readonly width?: number } = {}): string {
  const cells = rows.map((r) => [r.run, r.stage, r.status, formatDuration(r.durationMs), flatten(r.params), r.metrics === undefined ? "" : flatten(r.metrics)]);
  if (options.wide === true) return table([[...HEADER], ...cells]);
  const width = options.width ?? RUNS_WIDTH;
  // The first four columns are short and always whole; params and metrics share the rest.
  const fixed = [0, 1, 2, 3].map((i) => Math.max(HEADER[i]?.length ?? 0, ...cells.map((c) => c[i]?.length ?? 0)));
  const room = Math.max(20, width - fixed.reduce((sum, w) => sum + w + GAP, 0) - GAP);
  const metricsWant = Math.max(HEADER[5].length, ...cells.map((c) => c[5]?.length ?? 0));
  const paramsWant = Math.max(HEADER[4].length, ...cells.map((c) => c[4]?.length ?? 0));
  // Metrics get up to two thirds of the room when params need the rest; params what metrics leave.
  const metricsWidth = Math.min(metricsWant, Math.max(room - paramsWant, Math.floor((room * 2) / 3)));
  const paramsWidth = Math.max(HEADER[4].length, Math.min(paramsWant, room - metricsWidth));
  const fitted = cells.map((c) => [c[0], c[1], c[2], c[3], cut(c[4] ?? "", paramsWidth), cut(c[5] ?? "", room - paramsWidth)] as string[]);
  return table([[...HEADER], ...fitted]);
}

/** `{a: 1, b: {c: "x"}}` -> `a=1 b.c=x`. */
function flatten(value: Json): string {
  const parts: string[] = [];
  const walk = (prefix: string, v: Json): void => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [k, inner] of Object.entries(v)) walk(prefix === "" ? k : `${prefix}.${k}`, inner);
      return;
    }
    const shown = typeof v === "string" ? v : typeof v === "number" ? String(Number.isInteger(v) ? v : Number(v.toPrecision(6))) : JSON.stringify(v);
    parts.push(prefix === "" ? shown : `${prefix}=${shown}`);
  };
  walk("", value);
  return parts.join(" ");
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
