/**
 * The `p.stage(...)` declaration of a graduated notebook: a `cmd` stage that
 * runs the script with python3, its params the notebook's literal params, its
 * deps the script plus the files it reads, its outs the files it writes. The
 * `python3 --version` probe puts the interpreter in the stage key, so a
 * Python upgrade reruns the stage instead of trusting an old result.
 */
import type { FileCandidate } from "./file-candidates.js";
import type { NotebookParam } from "./parameters.js";
import { paramFlag } from "./script.js";

/** What the declaration is made of. */
export interface DeclarationInput {
  readonly stage: string;
  /** Workspace-relative notebook path, for the comment. */
  readonly notebook: string;
  /** Project-relative script path. */
  readonly script: string;
  readonly params: readonly NotebookParam[];
  readonly files: readonly FileCandidate[];
}

/** The declaration text, indented for the body of `defineProject(name, (builder) => { ... })`. */
export function renderDeclaration(input: DeclarationInput, builder = "p", indent = "  "): string {
  const deps = input.files.filter((f) => f.role === "dep");
  const outs = input.files.filter((f) => f.role === "out");
  const flags = [
    ...input.params.map((p) => `${paramFlag(p.name)} {params.${p.name}}`),
    ...deps.filter((f) => f.flag !== undefined).map((f) => `${f.flag} {deps.${f.name}}`),
    ...outs.filter((f) => f.flag !== undefined).map((f) => `${f.flag} {outs.${f.name}}`),
  ];
  const body = [
    `description: ${ts(`graduated from ${input.notebook}`)},`,
    `deps: ${record([["script", `source(${ts(input.script)})`], ...deps.map((f): Entry => [f.name, `source(${ts(f.path)})`])])},`,
    ...(input.params.length > 0 ? [`params: ${record(input.params.map((p): Entry => [p.name, oneLine(p.value)]))},`] : []),
    ...(outs.length > 0 ? [`outs: ${record(outs.map((f): Entry => [f.name, `file(${ts(f.path)})`]))},`] : []),
    `probes: ["python3 --version"],`,
    `cmd: ${ts(["python3 {deps.script}", ...flags].join(" "))},`,
  ];
  const inner = `${indent}${indent}`;
  return [
    `${indent}// Graduated from ${input.notebook}: check the candidate deps and outs it found.`,
    `${indent}${builder}.stage(${ts(input.stage)}, {`,
    ...body.map((line) => `${inner}${line}`),
    `${indent}});`,
  ].join("\n");
}

/** The pipeline API names the declaration uses, for the import line. */
export function declarationImports(files: readonly FileCandidate[]): string[] {
  return files.some((f) => f.role === "out") ? ["file", "source"] : ["source"];
}

type Entry = readonly [string, string];

/** `{ a: x, b: y }`, with keys quoted only when they are not identifiers. */
function record(entries: readonly Entry[]): string {
  const parts = entries.map(([key, value]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : ts(key)}: ${value}`);
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}

/** A param's value as a TypeScript literal on one line: `[1, 2.5]`, `{ name: "run" }`. */
function oneLine(value: NotebookParam["value"]): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(", ")}]`;
  if (value !== null && typeof value === "object") return record(Object.entries(value).map(([key, v]): Entry => [key, oneLine(v)]));
  return JSON.stringify(value);
}

function ts(text: string): string {
  return JSON.stringify(text);
}
