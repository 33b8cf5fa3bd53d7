/**
 * Writes the graduated Python script: one `# %%` cell per notebook cell, in
 * order (the percent format, so VS Code, Spyder and jupytext still see the
 * cells), preceded by one cell that parses the command line. The defaults of
 * every flag are the notebook's own values, so `python3 S.py` run by hand
 * from the notebook's folder does what the notebook did.
 */
import { unreachable } from "../util/result.js";
import type { FileCandidate } from "./file-candidates.js";
import type { NotebookParam } from "./parameters.js";

/** A cell as it goes into the script: code already rewritten, or markdown text. */
export interface ScriptCell {
  readonly kind: "code" | "markdown";
  readonly text: string;
  readonly tags: readonly string[];
}

/** The argparse namespace name; prefixed so it cannot shadow a notebook variable. */
export const ARGS = "_sluice_args";

/** The whole script text. */
export function renderScript(input: {
  readonly notebook: string;
  readonly params: readonly NotebookParam[];
  readonly files: readonly FileCandidate[];
  readonly cells: readonly ScriptCell[];
}): string {
  const header = [
    `# Graduated from ${input.notebook} by \`sluice graduate\`.`,
    "# The stage passes every param and file path as a flag; run with --help to list them.",
    "",
  ];
  return [...header, ...flagCell(input.notebook, input.params, input.files), ...input.cells.flatMap(cellLines)].join("\n").trimEnd() + "\n";
}

function flagCell(notebook: string, params: readonly NotebookParam[], files: readonly FileCandidate[]): string[] {
  const lines = [
    "# %% [sluice] command-line flags; the defaults are the notebook's values",
    "import argparse as _sluice_argparse",
    "import sys as _sluice_sys",
    "",
  ];
  if (params.some(isJsonParam)) lines.splice(2, 0, "import json as _sluice_json");
  if (params.some((p) => p.kind === "bool")) {
    lines.push("", "def _sluice_bool(text):", '    return str(text).strip().lower() in ("1", "true", "yes", "on")', "", "");
  }
  lines.push(`_sluice_parser = _sluice_argparse.ArgumentParser(description=${pyString(`graduated from ${notebook}`)})`);
  for (const param of params) {
    const type = param.kind === "bool" ? "_sluice_bool" : isJsonParam(param) ? "_sluice_json.loads" : param.kind;
    lines.push(`_sluice_parser.add_argument(${pyString(paramFlag(param.name))}, dest=${pyString(param.name)}, type=${type}, default=${pyLiteral(param)})`);
  }
  for (const file of files) {
    // A file declared with --deps/--outs has no literal to replace: the script computes its path.
    if (file.flag === undefined || file.dest === undefined) continue;
    const help = file.role === "dep" ? "input file" : "output file";
    lines.push(`_sluice_parser.add_argument(${pyString(file.flag)}, dest=${pyString(file.dest)}, default=${pyString(file.literal)}, help=${pyString(help)})`);
  }
  // Opened as a notebook again (jupytext, VS Code), argv belongs to the kernel: use the defaults.
  lines.push(`${ARGS} = _sluice_parser.parse_args([] if "ipykernel" in _sluice_sys.modules else None)`, "", "");
  return lines;
}

function cellLines(cell: ScriptCell): string[] {
  if (cell.kind === "markdown") {
    return ["# %% [markdown]", ...cell.text.trimEnd().split("\n").map((l) => `# ${l}`.trimEnd()), "", ""];
  }
  // jupytext writes a tagged cell as `# %% tags=["parameters"]`; keeping that lets it round-trip.
  const marker = cell.tags.length > 0 ? `# %% tags=${JSON.stringify(cell.tags)}` : "# %%";
  return [marker, cell.text.trimEnd(), "", ""];
}

/** None, a list or a dict: passed on the command line as JSON (the stage renders such a param as JSON). */
function isJsonParam(param: NotebookParam): boolean {
  return param.kind === "none" || param.kind === "list" || param.kind === "dict";
}

/** `learning_rate` -> `--learning-rate`. */
export function paramFlag(name: string): string {
  return `--${name.replace(/_/g, "-")}`;
}

/** A JSON string literal is a valid Python string literal with the same value. */
function pyString(text: string): string {
  return JSON.stringify(text);
}

function pyLiteral(param: NotebookParam): string {
  switch (param.kind) {
    case "bool":
      return param.value ? "True" : "False";
    case "str":
      return pyString(String(param.value));
    case "int":
      return String(param.value);
    case "float": {
      const text = String(param.value);
      return /^-?\d+$/.test(text) ? `${text}.0` : text;
    }
    case "none":
    case "list":
    case "dict":
      // The notebook's own literal: valid Python, and what the stage passes as JSON parses back to it.
      return param.source;
    default:
      return unreachable(param.kind);
  }
}
