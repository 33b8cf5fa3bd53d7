/**
 * Plot files: a table of rows read from JSON (a list of objects, or an
 * object holding one such list, as DVC writes them), CSV or TSV (a header
 * row, as dvclive writes `step` and value columns), and the series a plot
 * declaration picks out of it. The bytes are whatever a stage wrote: sizes
 * are bounded and a missing column is named with the columns found.
 */
import { didYouMean } from "../util/did-you-mean.js";
import type { PlotFormat, StagePlot } from "./model.js";

/** A plot file larger than this is not drawn. */
export const MAX_PLOT_FILE_BYTES = 8 * 1024 * 1024;

/** A cell: a number when it reads as one, else text; null when empty. */
export type PlotCell = number | string | null;

/** The rows of a plot file, by column name in the order the file has them. */
export interface PlotTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, PlotCell>>[];
}

/** One column drawn against x. */
export interface PlotSeries {
  /** The y column. */
  readonly y: string;
  readonly x: readonly (number | string)[];
  readonly values: readonly (number | null)[];
}

/** What one plot file draws: the x column (or `row`, the row number) and one series per y column. */
export interface PlotLines {
  readonly x: string;
  readonly series: readonly PlotSeries[];
}

/** Parses a plot file's text as its format says, or says why it cannot (a phrase following the file's name). */
export function parsePlotTable(text: string, format: PlotFormat): { ok: true; table: PlotTable } | { ok: false; problem: string } {
  if (format === "json") return jsonTable(text);
  const lines = delimitedRows(text, format === "csv" ? "," : "\t");
  const [header, ...body] = lines;
  if (!header || header.every((h) => h.trim() === "")) return { ok: false, problem: `is not a ${format.toUpperCase()} file with a header row` };
  const columns = header.map((h) => h.trim());
  const rows = body.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cellOf(cells[i])])));
  return { ok: true, table: { columns, rows } };
}

/**
 * The series a plot draws from a table: x is the declared column, else
 * `step` when there is one, else the row number; y the declared columns,
 * else every column other than x and `timestamp` that holds a number.
 */
export function plotLines(table: PlotTable, plot: Pick<StagePlot, "x" | "y">): { ok: true; lines: PlotLines } | { ok: false; problem: string } {
  const missing = [plot.x, ...plot.y].filter((c): c is string => c !== undefined && !table.columns.includes(c));
  if (missing.length > 0) {
    const found = table.columns.length > 0 ? `columns found: ${table.columns.join(", ")}` : "it has no columns";
    const hint = missing.length === 1 ? didYouMean(missing[0] as string, table.columns) : "";
    return { ok: false, problem: `has no column${missing.length === 1 ? "" : "s"} ${missing.map((c) => `"${c}"`).join(", ")}${hint} (${found})` };
  }
  const x = plot.x ?? (table.columns.includes("step") ? "step" : undefined);
  const ys = plot.y.length > 0
    ? plot.y
    : table.columns.filter((c) => c !== x && c !== "timestamp" && table.rows.some((r) => typeof r[c] === "number"));
  if (ys.length === 0) return { ok: false, problem: `has no column of numbers to draw (columns found: ${table.columns.join(", ") || "none"})` };
  const xs = table.rows.map((row, i) => (x === undefined ? i : row[x] ?? i));
  const series = ys.map((y) => ({ y, x: xs, values: table.rows.map((row) => (typeof row[y] === "number" ? (row[y] as number) : null)) }));
  return { ok: true, lines: { x: x ?? "row", series } };
}

function jsonTable(text: string): { ok: true; table: PlotTable } | { ok: false; problem: string } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `is not valid JSON: ${(error as Error).message.split("\n")[0]}` };
  }
  // DVC's shape: {"prc": [{...}, ...]}, one list under one key.
  if (document !== null && typeof document === "object" && !Array.isArray(document)) {
    const lists = Object.values(document).filter(Array.isArray);
    if (lists.length === 1) document = lists[0];
  }
  if (!Array.isArray(document) || !document.every((row) => row !== null && typeof row === "object" && !Array.isArray(row))) {
    return { ok: false, problem: "is not a list of rows: a plot's JSON is [{...}, ...] or {\"name\": [{...}, ...]}" };
  }
  const columns = new Set<string>();
  for (const row of document as Record<string, unknown>[]) for (const key of Object.keys(row)) columns.add(key);
  const rows = (document as Record<string, unknown>[]).map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" ? cellOf(v) : null])),
  );
  return { ok: true, table: { columns: [...columns], rows } };
}

function cellOf(text: string | undefined): PlotCell {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : trimmed;
}

/** Rows of delimited text; a field in double quotes may hold the delimiter, newlines and doubled quotes. */
function delimitedRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endRow = (): void => {
    row.push(field);
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else field += c;
  }
  endRow();
  return rows;
}
