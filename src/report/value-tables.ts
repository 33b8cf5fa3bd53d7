/**
 * Tables of params and metrics values (`sluice metrics show`, `metrics
 * diff`, `params diff`): aligned columns for a terminal, or a Markdown table
 * to paste into a pull request (`--md`).
 */
import { table } from "./terminal.js";

/** A value as shown: the file it is in, its dotted key, the value. */
export interface ShownValue {
  readonly path: string;
  readonly key: string;
  readonly value: unknown;
}

/** A compared value: each side's (undefined where absent) and the change of a number. */
export interface ShownChange {
  readonly path: string;
  readonly key: string;
  readonly old: unknown;
  readonly new: unknown;
  readonly delta: number | undefined;
  readonly changed: boolean;
  /** The side whose file could not be read. */
  readonly unknown?: "a" | "b";
}

/** `metrics show`: one row per value. */
export function renderValues(values: readonly ShownValue[], markdown: boolean): string {
  return render([["Path", "Key", "Value"], ...values.map((v) => [v.path, v.key, cell(v.value)])], markdown);
}

/** A diff of two sides labelled `a` and `b` (`HEAD`, `workspace`), with the change of each number. */
export function renderChanges(rows: readonly ShownChange[], labels: { readonly a: string; readonly b: string }, markdown: boolean): string {
  const side = (r: ShownChange, which: "a" | "b", value: unknown) => (r.unknown === which ? "?" : cell(value));
  return render([["Path", "Key", labels.a, labels.b, "Change"], ...rows.map((r) => [r.path, r.key, side(r, "a", r.old), side(r, "b", r.new), change(r)])], markdown);
}

function change(row: ShownChange): string {
  if (row.unknown) return "unknown";
  if (row.delta !== undefined) return row.delta === 0 ? "0" : `${row.delta > 0 ? "+" : ""}${row.delta}`;
  if (row.old === undefined) return "added";
  if (row.new === undefined) return "removed";
  return row.changed ? "changed" : "";
}

function cell(value: unknown): string {
  if (value === undefined) return "-";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function render(rows: readonly (readonly string[])[], markdown: boolean): string {
  if (!markdown) return table(rows);
  // A pipe in a value would end its cell.
  const line = (row: readonly string[]) => `| ${row.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), line((header ?? []).map(() => "---")), ...body.map(line)].join("\n");
}
