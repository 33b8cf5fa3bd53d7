/**
 * Minimal CSV for the synthetic snapshots: comma separated, one header line,
 * `\n` line ends, double quotes only around cells that need them. Written by
 * hand because the projects may not add a CSV dependency and the format they
 * write is deliberately simple; the reader also accepts quoted cells so a
 * hand-edited fixture still parses.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** A parsed CSV: the header and each row as column -> raw string cell. */
export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string>[];
  /** Rows whose cell count differs from the header (1-based line numbers). */
  readonly ragged: readonly number[];
}

/** A cell value; numbers must already be formatted (see `fixed`). */
export type Cell = string | number | boolean;

/** Serialises rows in the given column order. */
export function formatCsv(columns: readonly string[], rows: readonly Readonly<Record<string, Cell>>[]): string {
  const lines = [columns.map(quote).join(",")];
  for (const row of rows) {
    lines.push(columns.map((c) => quote(cellText(row[c]))).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** Writes rows to `path` as CSV. */
export function writeCsv(path: string, columns: readonly string[], rows: readonly Readonly<Record<string, Cell>>[]): void {
  writeFileSync(path, formatCsv(columns, rows));
}

/** Parses CSV text; ragged rows are reported, not thrown, so a validator can name them. */
export function parseCsv(text: string): CsvTable {
  const lines = splitRecords(text);
  const header = lines[0] ?? [];
  const rows: Record<string, string>[] = [];
  const ragged: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i] as string[];
    if (cells.length === 1 && cells[0] === "") continue; // blank line
    if (cells.length !== header.length) ragged.push(i + 1);
    const row: Record<string, string> = {};
    header.forEach((col, j) => {
      row[col] = cells[j] ?? "";
    });
    rows.push(row);
  }
  return { columns: header, rows, ragged };
}

/** Reads and parses a CSV file. */
export function readCsv(path: string): CsvTable {
  return parseCsv(readFileSync(path, "utf8"));
}

function cellText(value: Cell | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "boolean") return value ? "1" : "0";
  return String(value);
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function splitRecords(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || cells.length > 0) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}
