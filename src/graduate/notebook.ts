/**
 * Reads the .ipynb JSON (nbformat 4) into the little the graduation needs:
 * the kernel language and the cells in order with their source, execution
 * count and tags. Everything else (outputs, widgets) is ignored.
 */
import { fail, ok, type Result } from "../util/result.js";
import type { GraduateProblem } from "./problem.js";

/** One cell, 1-based `number` as Jupyter shows it (counting every cell). */
export interface NotebookCell {
  readonly number: number;
  readonly kind: "code" | "markdown" | "raw";
  readonly source: string;
  /** The `In [n]` count of a code cell; null when the cell was never run. */
  readonly executionCount: number | null;
  readonly tags: readonly string[];
}

/** A parsed notebook. */
export interface Notebook {
  /** Lower-case kernel language (`python`), from kernelspec or language_info. */
  readonly language: string | undefined;
  readonly cells: readonly NotebookCell[];
}

/** Parses notebook text; `name` is used in messages only. */
export function parseNotebook(text: string, name: string): Result<Notebook, GraduateProblem> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail({ reason: "not-a-notebook", message: `${name} is not notebook JSON: ${(error as Error).message}` });
  }
  if (!isObject(json) || !Array.isArray(json["cells"])) {
    return fail({ reason: "not-a-notebook", message: `${name} has no "cells" list; is it a Jupyter notebook (.ipynb)?` });
  }
  if (typeof json["nbformat"] === "number" && json["nbformat"] < 4) {
    return fail({ reason: "not-a-notebook", message: `${name} is nbformat ${json["nbformat"]}; save it with Jupyter 4 or later (nbformat 4)` });
  }
  const metadata = isObject(json["metadata"]) ? json["metadata"] : {};
  const cells = (json["cells"] as unknown[]).map((cell, index) => readCell(cell, index + 1));
  return ok({ language: languageOf(metadata), cells });
}

function readCell(cell: unknown, number: number): NotebookCell {
  const record = isObject(cell) ? cell : {};
  const type = record["cell_type"];
  const kind = type === "code" || type === "markdown" ? type : "raw";
  const source = Array.isArray(record["source"]) ? record["source"].join("") : typeof record["source"] === "string" ? record["source"] : "";
  const count = record["execution_count"];
  const metadata = isObject(record["metadata"]) ? record["metadata"] : {};
  const tags = Array.isArray(metadata["tags"]) ? metadata["tags"].filter((t): t is string => typeof t === "string") : [];
  return { number, kind, source, executionCount: typeof count === "number" ? count : null, tags };
}

function languageOf(metadata: Record<string, unknown>): string | undefined {
  const kernel = isObject(metadata["kernelspec"]) ? metadata["kernelspec"] : {};
  const info = isObject(metadata["language_info"]) ? metadata["language_info"] : {};
  const language = kernel["language"] ?? info["name"];
  return typeof language === "string" ? language.toLowerCase() : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
