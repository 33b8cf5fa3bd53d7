/**
 * A stage's `plots(...)` outputs, checked at validation: a series file
 * (`.json`, `.csv`, `.tsv`) or a folder of them, with column names that are
 * non-empty strings. Whether the columns exist is known only once the file
 * is written, so `plots show|diff` checks that and names the columns found.
 */
import type { PlotsOutDecl } from "./decl.js";
import type { PlotFormat, StagePlot } from "./model.js";

/** The format of a plot file by its extension, or undefined when it is none of json, csv, tsv. */
export function plotFormat(path: string): PlotFormat | undefined {
  const match = /\.(json|csv|tsv)$/i.exec(path);
  return match ? (match[1]?.toLowerCase() as PlotFormat) : undefined;
}

/** Where a plot lies: its workspace path, and the directory output of the stage holding it, if one does. */
export interface PlotPlace {
  readonly name: string;
  readonly inWorkspace: string;
  readonly holder: { readonly name: string; readonly path: string } | undefined;
}

/** The validated plot, or why its declaration is wrong (a message following `plots output "name" (path)`). */
export function stagePlot(out: PlotsOutDecl, place: PlotPlace): { ok: true; plot: StagePlot } | { ok: false; problem: string } {
  const options: unknown = out.options ?? {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) return { ok: false, problem: "takes options { x, y, title }" };
  const { x, y, title } = options as Record<string, unknown>;
  const unknown = Object.keys(options).filter((k) => !["x", "y", "title"].includes(k));
  if (unknown.length > 0) return { ok: false, problem: `has unknown option${unknown.length === 1 ? "" : "s"} ${unknown.map((k) => `"${k}"`).join(", ")} (a plot takes x, y and title)` };
  if (x !== undefined && !isName(x)) return { ok: false, problem: "has an x that is not a column name (a non-empty string)" };
  const ys = typeof y === "string" ? [y] : y;
  if (ys !== undefined && (!Array.isArray(ys) || ys.length === 0 || !ys.every(isName))) {
    return { ok: false, problem: "has a y that is not a column name or a non-empty list of them" };
  }
  if (title !== undefined && typeof title !== "string") return { ok: false, problem: "has a title that is not a string" };
  const path = place.inWorkspace.replace(/\/+$/, "");
  const format = plotFormat(path);
  const looksLikeFile = /\.[A-Za-z0-9]{1,5}$/.test(path.slice(path.lastIndexOf("/") + 1));
  if (!format && looksLikeFile) return { ok: false, problem: "must be a .json, .csv or .tsv file, or a folder of them" };
  const inner = place.holder ? path.slice(place.holder.path.length + 1) : undefined;
  return {
    ok: true,
    plot: {
      name: place.name,
      path,
      format,
      out: place.holder?.name ?? place.name,
      inner,
      x: x as string | undefined,
      y: (ys as string[] | undefined) ?? [],
      title: title as string | undefined,
    },
  };
}

function isName(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}
