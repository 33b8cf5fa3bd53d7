/**
 * The `sluice runs` table. Params and metrics are written `name=value`
 * (nested ones dotted), and a row fits the terminal's 120 columns: metrics
 * first (what a reader compares runs by), params in what is left, each cut
 * with `…` where it does not fit. `--wide` shows every param in full. A
 * `where` column (the executor, job and node) appears once some run
 * executed elsewhere than here.
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
  /** "local", or the executor with its job and node: "slurm job 42 on node7". */
  readonly where?: string | undefined;
}

/** The width a row keeps to unless `wide`. */
export const RUNS_WIDTH = 120;

const GAP = 2;

/** The table of `rows`, each line at most {@link RUNS_WIDTH} columns unless `wide`. */
export function renderRunsTable(rows: readonly RunRow[], options: { readonly wide?: boolean; readonly width?: number } = {}): string {
  const elsewhere = rows.some((r) => r.where !== undefined && r.where !== "local");
  // Short columns, always whole; params and metrics share the rest.
  const fixedHeader = ["run", "stage", "status", "duration", ...(elsewhere ? ["where"] : [])];
  const header = [...fixedHeader, "params", "metrics"];
  const fixedCells = rows.map((r) => [r.run, r.stage, r.status, formatDuration(r.durationMs), ...(elsewhere ? [r.where ?? "local"] : [])]);
  const params = rows.map((r) => flatten(r.params));
  const metrics = rows.map((r) => (r.metrics === undefined ? "" : flatten(r.metrics)));
  if (options.wide === true) return table([header, ...fixedCells.map((c, i) => [...c, params[i] ?? "", metrics[i] ?? ""])]);
  const width = options.width ?? RUNS_WIDTH;
  const fixed = fixedHeader.map((h, i) => Math.max(h.length, ...fixedCells.map((c) => c[i]?.length ?? 0)));
  const room = Math.max(20, width - fixed.reduce((sum, w) => sum + w + GAP, 0) - GAP);
  const metricsWant = Math.max("metrics".length, ...metrics.map((m) => m.length));
  const paramsWant = Math.max("params".length, ...params.map((p) => p.length));
  // Metrics get up to two thirds of the room when params need the rest; params what metrics leave.
  const metricsWidth = Math.min(metricsWant, Math.max(room - paramsWant, Math.floor((room * 2) / 3)));
  const paramsWidth = Math.max("params".length, Math.min(paramsWant, room - metricsWidth));
  const fitted = fixedCells.map((c, i) => [...c, cut(params[i] ?? "", paramsWidth), cut(metrics[i] ?? "", room - paramsWidth)]);
  return table([header, ...fitted]);
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
