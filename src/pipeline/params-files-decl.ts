/**
 * A stage's `paramsFiles`, checked and read at validation: each file lies in
 * the workspace, is YAML or JSON, is no output and no part of a source the
 * stage reads whole, and holds every key named; the keys' values become
 * params of the stage (see `fileParamName`).
 */
import { isAbsolute } from "node:path";
import { notJsonReason } from "../util/canonical-json.js";
import { nearbyFile } from "../util/did-you-mean.js";
import type { DeclaredStage, Json, ParamsFileDecl } from "./decl.js";
import type { Diagnostic } from "./diagnostic.js";
import type { StageDep, StageParamsFile } from "./model.js";
import { fileParamName, nestedKeyProblem, readStructuredFile, selectKey, structuredFormat } from "./params-file.js";
import type { PathProbe } from "./path-probe.js";

/** What checking a params file needs from the project being validated. */
export interface ParamsFileScope {
  /** Resolves a project-relative path. */
  readonly place: (path: string) => { readonly absolute: string; readonly inWorkspace: string };
  readonly paths: PathProbe;
  /** Why a workspace path would read a stage's output, or undefined. */
  readonly outputClash: (rel: string) => string | undefined;
}

/**
 * The params files a stage declares, read now: each named key must be in
 * its file, and its value becomes a param of the stage. Undefined when the
 * stage declares none.
 */
export function paramsFromFiles(
  { place, paths, outputClash }: ParamsFileScope,
  decl: DeclaredStage["decl"],
  deps: readonly StageDep[],
  report: (reason: Diagnostic["reason"], message: string) => void,
): { values: Record<string, Json>; files: StageParamsFile[] } | undefined {
  const declared = decl.paramsFiles;
  if (declared === undefined) return undefined;
  if (!Array.isArray(declared)) {
    report("bad-params-file", "paramsFiles must be a list: paramsFiles: [paramsFrom(\"params.yaml\", [\"train.lr\"])]");
    return undefined;
  }
  const values: Record<string, Json> = {};
  const files: StageParamsFile[] = [];
  for (const entry of declared as readonly unknown[]) {
    const file = entry as ParamsFileDecl | undefined;
    if (file?.kind !== "params-file" || typeof file.path !== "string") {
      report("bad-params-file", "paramsFiles holds something that is not paramsFrom(path, keys)");
      continue;
    }
    const format = structuredFormat(file.path);
    const { absolute, inWorkspace: rel } = place(file.path);
    const keys = Array.isArray(file.keys) ? file.keys : [];
    const problem = !format
      ? `params file ${file.path} must be a .yaml, .yml or .json file`
      : rel.startsWith("../") || isAbsolute(rel) || !paths.inside(absolute)
        ? `params file ${file.path} is outside the workspace`
        : keys.length === 0 || keys.some((k) => typeof k !== "string")
          ? `paramsFrom("${file.path}", keys) names no keys: list the dotted keys the stage reads, e.g. ["train.lr"]`
          : files.some((f) => f.path === rel)
            ? `declares params file ${file.path} twice: list all its keys in one paramsFrom`
            : deps.some((d) => d.kind === "source" && (d.path === rel || d.path === "" || d.path === "." || rel.startsWith(`${d.path}/`)))
              ? `params file ${file.path} is also a source dep, or inside one: the stage would see the whole file through it; drop the dep or move the file out of it`
              : outputClash(rel);
    if (problem) {
      report("bad-params-file", problem.startsWith(rel) ? `params file ${problem}` : problem);
      continue;
    }
    const nested = nestedKeyProblem(keys);
    if (nested) {
      report("bad-params-file", `paramsFrom("${file.path}") ${nested}`);
      continue;
    }
    const read = readStructuredFile(absolute, format as NonNullable<typeof format>);
    if (!read.ok) {
      report("missing-param", `params file ${file.path} ${read.problem}${read.problem === "does not exist" ? nearbyFile(absolute, file.path) : ""}`);
      continue;
    }
    let complete = true;
    for (const key of keys) {
      const selected = selectKey(read.value, key);
      const notJson = selected.ok ? notJsonReason(selected.value, fileParamName(file.path, key)) : undefined;
      if (!selected.ok || notJson) {
        report(selected.ok ? "param-not-json" : "missing-param", selected.ok ? (notJson as string) : `params file ${file.path} ${selected.problem}`);
        complete = false;
        continue;
      }
      values[fileParamName(file.path, key)] = selected.value;
    }
    if (complete) files.push({ declared: file.path, path: rel, format: format as NonNullable<typeof format>, keys: [...keys].sort(), text: read.text });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { values, files };
}
