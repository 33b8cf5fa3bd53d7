/**
 * `--write`: puts the declaration into `projects/P/pipeline.ts`. The file is
 * edited as text, conservatively: the declaration goes before the closing
 * `});` of the `defineProject` callback, and the API names it uses are added
 * to the existing import of the pipeline API. A pipeline file shaped in a way
 * we do not recognise is refused, never rewritten by guesswork.
 */
import { fail, ok, type Result } from "../util/result.js";
import type { GraduateProblem } from "./problem.js";
import { escapeRegExp } from "../util/escape-regexp.js";

/** What to insert, and where the names in messages come from. */
export interface InsertRequest {
  readonly project: string;
  readonly stage: string;
  /** Workspace-relative pipeline path, for messages. */
  readonly file: string;
  /** Renders the declaration for the builder parameter name the file uses. */
  readonly declaration: (builder: string) => string;
  readonly imports: readonly string[];
}

const DEFINE = /defineProject\(\s*(["'`])([^"'`]+)\1\s*,\s*(?:async\s*)?\(?\s*([A-Za-z_$][\w$]*)/;
const API_IMPORT = /import\s*\{([^}]*)\}\s*from\s*(["'])(sluice|[^"']*\/src\/index\.js)\2\s*;?/;

/** A new pipeline file holding just the graduated stage. */
export function newPipelineFile(request: InsertRequest): string {
  return [
    `import { defineProject, ${request.imports.join(", ")} } from "sluice";`,
    "",
    `export default defineProject(${JSON.stringify(request.project)}, (p) => {`,
    request.declaration("p"),
    "});",
    "",
  ].join("\n");
}

/** The pipeline text with the stage inserted, or why it cannot be done safely. */
export function insertStage(text: string, request: InsertRequest): Result<string, GraduateProblem> {
  const define = DEFINE.exec(text);
  if (!define) {
    return fail({
      reason: "no-project-callback",
      message: `${request.file} has no \`defineProject("${request.project}", (p) => { ... })\` to add the stage to; add the printed declaration by hand`,
    });
  }
  if (new RegExp(`\\.stage\\(\\s*["'\`]${escapeRegExp(request.stage)}["'\`]`).test(text)) {
    return fail({ reason: "stage-exists", message: `${request.file} already declares a stage "${request.stage}"; pick another --stage name` });
  }
  const lines = text.split("\n");
  const closing = lastIndex(lines, (line) => /^\}\s*\)\s*;?\s*$/.test(line));
  if (closing < 0 || closing < lineOf(text, define.index)) {
    return fail({ reason: "no-project-callback", message: `cannot find the closing \`});\` of defineProject in ${request.file}; add the printed declaration by hand` });
  }
  lines.splice(bodyReturn(lines, lineOf(text, define.index), closing) ?? closing, 0, request.declaration(define[3] as string));
  return ok(withImports(lines.join("\n"), request.imports));
}

/**
 * The line of the body's own `return` (a body that returns its stages'
 * handles for `StagesOf`), at the body's indentation: a stage declared after
 * it would never be declared. Undefined when the body returns nothing.
 */
function bodyReturn(lines: readonly string[], defineLine: number, closing: number): number | undefined {
  const first = lines.slice(defineLine + 1, closing).find((line) => line.trim() !== "");
  const indent = first === undefined ? "" : (/^\s*/.exec(first)?.[0] ?? "");
  for (let i = closing - 1; i > defineLine; i--) {
    const line = lines[i] as string;
    if (line.startsWith(`${indent}return`) && !/^\s/.test(line.slice(indent.length))) return i;
  }
  return undefined;
}

/** Adds missing API names to the existing import, or a new import line. */
function withImports(text: string, names: readonly string[]): string {
  const match = API_IMPORT.exec(text);
  if (!match) {
    const lines = text.split("\n");
    const after = lastIndex(lines, (line) => /^import\s/.test(line)) + 1;
    lines.splice(after, 0, `import { ${names.join(", ")} } from "sluice";`);
    return lines.join("\n");
  }
  const present = (match[1] as string).split(",").map((n) => n.trim()).filter(Boolean);
  const missing = names.filter((n) => !present.some((p) => p === n || p.endsWith(` as ${n}`)));
  if (missing.length === 0) return text;
  const updated = `import { ${[...present, ...missing].join(", ")} } from ${match[2]}${match[3]}${match[2]};`;
  return text.slice(0, match.index) + updated + text.slice(match.index + match[0].length);
}

function lastIndex(lines: readonly string[], test: (line: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i] as string)) return i;
  return -1;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length - 1;
}
