/**
 * A stage's `paramsFiles`, checked and read at validation: each file lies in
 * the workspace, is YAML or JSON, is no output and no part of a source the
 * stage reads whole, and holds every key named; the keys' values become
 * params of the stage (see `fileParamName`).
 */
import { isAbsolute } from "node:path";
import { notJsonReason } from "../util/canonical-json.js";
import { nearbyFile } from "../util/did-you-mean.js";
import type { DeclaredStage, Json, ParamsFileDecl, SourceLocation } from "./decl.js";
import type { Diagnostic } from "./diagnostic.js";
import type { StageDep, StageParamsFile } from "./model.js";
import { fileParamName, nestedKeyProblem, readStructuredFile, selectKey, structuredFormat, type ParamsFormat } from "./params-file.js";
import type { PathProbe } from "./path-probe.js";

/**
 * The params files of one validation, each read once however many stages
 * read it. A file that cannot be read (missing, too big, not YAML) is one
 * problem, told at the first stage that reads it and naming the others,
 * not one problem per stage.
 */
export class ParamsFileReads {
  readonly #reads = new Map<string, ReturnType<typeof readStructuredFile>>();
  readonly #unreadable = new Map<string, { first: Reader; problem: string; others: string[] }>();

  /** The file's text and document, or undefined when it cannot be read (noted for `problems`). */
  read(absolute: string, format: ParamsFormat, declared: string, reader: Reader): { readonly value: Json; readonly text: string } | undefined {
    let read = this.#reads.get(absolute);
    if (read === undefined) {
      read = readStructuredFile(absolute, format);
      this.#reads.set(absolute, read);
    }
    if (read.ok) return read;
    const unreadable = this.#unreadable.get(absolute);
    if (unreadable) unreadable.others.push(reader.id);
    else {
      const nearby = read.problem === "does not exist" ? nearbyFile(absolute, declared) : "";
      this.#unreadable.set(absolute, { first: reader, problem: `params file ${declared} ${read.problem}${nearby}`, others: [] });
    }
    return undefined;
  }

  /** One problem per file that could not be read: the stage that read it first, and what to say there. */
  problems(): { readonly reader: Reader; readonly message: string }[] {
    return [...this.#unreadable.values()].map(({ first, problem, others }) => ({ reader: first, message: problem + alsoReadBy(others) }));
  }
}

/** A stage reading a params file, and where it is declared. */
interface Reader {
  readonly id: string;
  readonly location: SourceLocation;
}

/** "; stages p:b and p:c read it too", naming a few and counting the rest. */
function alsoReadBy(stages: readonly string[]): string {
  if (stages.length === 0) return "";
  const shown = stages.length <= 3 ? stages : [...stages.slice(0, 2), `${stages.length - 2} more`];
  const listed = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
  return `; ${stages.length === 1 ? "stage" : "stages"} ${listed} ${stages.length === 1 ? "reads" : "read"} it too`;
}

/** What checking a params file needs from the project being validated. */
export interface ParamsFileScope {
  /** The params files read so far in this validation. */
  readonly paramsFiles: ParamsFileReads;
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
  { paramsFiles, place, paths, outputClash }: ParamsFileScope,
  reader: Reader,
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
    const read = paramsFiles.read(absolute, format as NonNullable<typeof format>, file.path, reader);
    if (read === undefined) continue;
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
