/**
 * The only place sluice writes to the terminal. stdout carries results a
 * script reads (the `--json` document, tables); stderr carries progress.
 */
import { onCommandStart } from "../util/command-scope.js";

let wroteOut = false;
onCommandStart(() => (wroteOut = false));

export function writeOut(text: string): void {
  writeOutRaw(text.endsWith("\n") ? text : `${text}\n`);
}

/** Text on stdout as it is (an exported log). */
export function writeOutRaw(text: string): void {
  wroteOut = true;
  process.stdout.write(text);
}

/** Whether anything went to stdout yet: a `--json` error document is printed only in its place. */
export function stdoutWritten(): boolean {
  return wroteOut;
}

export function writeErr(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Milliseconds as people read them. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** Left-aligned columns for human tables. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")).join("\n");
}

/** Bytes as people read them. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
