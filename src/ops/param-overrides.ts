/**
 * `--set` values parsed against the workspace: `<stage>.<param>=<value>`
 * for a param declared in pipeline.ts, `<key>=<value>` (or `<file>:<key>`)
 * for a params-file key, each checked against the declared value's type.
 * `sluice run` parses its options with it, and `exp run --run-all` the
 * values a queued experiment was recorded with.
 */
import {
  fileParamName,
  parseStructured,
  readWords,
  selectKey,
  setWords,
  withKeysSet,
  type Diagnostic,
  type Json,
  type ParamsFormat,
  type Stage,
  type StageId,
  type StageParamsFile,
  type Workspace,
} from "../pipeline/index.js";
import { notJsonReason } from "../util/canonical-json.js";
import { closestName, didYouMean } from "../util/did-you-mean.js";
import { fail, ok, type Result } from "../util/result.js";
import type { ParamOverrides } from "./run-request.js";

/** The overrides of `sets`, or every problem with them. */
export function parseParamOverrides(workspace: Workspace, sets: readonly string[]): Result<ParamOverrides, Diagnostic[]> {
  /** Values of params declared in pipeline.ts, by stage. */
  const inline = new Map<StageId, Record<string, Json>>();
  /** Params files by workspace path: each key set, in the words to write. */
  const fileSets = new Map<string, { readonly file: StageParamsFile; readonly words: Map<string, string> }>();
  const problems: Diagnostic[] = [];
  const bad = (message: string) => problems.push({ reason: "bad-param-override", message });
  for (const set of sets) {
    const eq = set.indexOf("=");
    const fileParam = eq > 0 ? fileParamTargets(workspace, set.slice(0, eq)) : [];
    if (fileParam.length > 0) {
      const files = [...new Set(fileParam.map((t) => t.file))].sort();
      if (files.length > 1) {
        const key = [(fileParam[0] as FileParamTarget).key, ...(fileParam[0] as FileParamTarget).within].join(".");
        bad(`--set ${set}: key "${set.slice(0, eq)}" is in ${files.join(" and ")}: name the file, e.g. --set ${files[0]}:${key}=...`);
        continue;
      }
      const first = fileParam[0] as FileParamTarget;
      const declared = valueAt(first.stage.params[first.param] as Json, first.within);
      if (declared === undefined) {
        const section = first.stage.params[first.param];
        const known = section !== null && typeof section === "object" && !Array.isArray(section) ? Object.keys(section) : [];
        bad(`--set ${set}: ${first.param} has no key "${first.within.join(".")}"${didYouMean(first.within.join("."), known) || ` (keys: ${known.join(", ") || "none"})`}`);
        continue;
      }
      const file = first.stage.paramsFiles.find((f) => f.path === first.file) as StageParamsFile;
      const value = checkedValue(set, set.slice(eq + 1), declared, `${first.param}${first.within.map((k) => `.${k}`).join("")}`, bad, file.format);
      if (value === undefined) continue;
      const entry = fileSets.get(file.path) ?? { file, words: new Map<string, string>() };
      entry.words.set([first.key, ...first.within].join("."), setWords(set.slice(eq + 1), value, file.format));
      fileSets.set(file.path, entry);
      continue;
    }
    const dot = set.lastIndexOf(".", eq);
    if (eq < 0 || dot < 0) {
      bad(`--set ${set}: expected <stage>.<param>=<value>, e.g. --set eta:train.learningRate=0.2`);
      continue;
    }
    const stageName = set.slice(0, dot);
    const param = set.slice(dot + 1, eq);
    const raw = set.slice(eq + 1);
    const stage = findStage(workspace, stageName);
    // A misspelt params-file key reads as <stage>.<param> too: the key it was meant to be says more.
    const nearKey = closestName(set.slice(0, eq), fileParamKeys(workspace));
    if (nearKey !== undefined && (!stage || !Object.hasOwn(stage.params, param))) {
      bad(`--set ${set}: no params-file key "${set.slice(0, eq)}" (did you mean "${nearKey}"?)`);
      continue;
    }
    if (!stage) {
      bad(`--set ${set}: no stage "${stageName}"${didYouMean(stageName, workspace.stages.keys())}`);
      continue;
    }
    if (!Object.hasOwn(stage.params, param)) { // not `in`: "constructor" is in every object
      const known = Object.keys(stage.params);
      const near = didYouMean(param, known);
      bad(`--set ${set}: stage ${stage.id} has no param "${param}"${near || ` (params: ${known.length ? known.join(", ") : "none"})`}`);
      continue;
    }
    const value = checkedValue(set, raw, stage.params[param] as Json, `${stage.id}.${param}`, bad);
    if (value === undefined) continue;
    inline.set(stage.id, { ...(inline.get(stage.id) ?? {}), [param]: value });
  }
  const files = new Map<string, string>();
  for (const [path, { file, words }] of fileSets) {
    const edited = withKeysSet(file.text, file.format, words);
    if (edited.ok) files.set(path, edited.text);
    else problems.push({ reason: "bad-param-override", message: `--set: ${path} ${edited.problem}` });
  }
  return problems.length > 0 ? fail(problems) : ok({ inline, files });
}

/**
 * The workspace as a run under `overrides` sees it: each stage reading a
 * params file a `--set` named reads the file as set, its values and the
 * words its copy holds taken from that text (params-written.ts).
 */
export function workspaceAsSet(workspace: Workspace, overrides: ParamOverrides): Workspace {
  if (overrides.files.size === 0) return workspace;
  const stages = new Map<StageId, Stage>();
  for (const [id, stage] of workspace.stages) {
    if (!stage.paramsFiles.some((f) => overrides.files.has(f.path))) {
      stages.set(id, stage);
      continue;
    }
    const params: Record<string, Json> = { ...stage.params };
    const paramsFiles = stage.paramsFiles.map((file) => {
      const text = overrides.files.get(file.path);
      if (text === undefined) return file;
      const parsed = parseStructured(text, file.format);
      for (const key of file.keys) {
        const selected = parsed.ok ? selectKey(parsed.value, key) : undefined;
        if (selected?.ok) params[fileParamName(file.declared, key)] = selected.value;
      }
      return { ...file, text };
    });
    stages.set(id, { ...stage, params, paramsFiles });
  }
  return { ...workspace, stages };
}

/** The value of a `--set`, parsed and checked against the declared value's type; undefined (and reported) when it does not fit. */
function checkedValue(set: string, raw: string, declared: Json, label: string, bad: (message: string) => void, format?: ParamsFormat): Json | undefined {
  const value = parseValue(raw, declared, format);
  // JSON.parse reads 1e999 as Infinity, which a key would record as null: refused as in a pipeline file.
  const notJson = notJsonReason(value, `param ${label}`);
  if (notJson) {
    bad(`--set ${set}: ${notJson}`);
    return undefined;
  }
  // A param declared null (a notebook's `threshold = None`) is unset, not typed: any value may set it.
  if (declared !== null && jsonType(value) !== jsonType(declared)) {
    bad(`--set ${set}: param ${label} is ${article(jsonType(declared))} (declared ${JSON.stringify(declared)}), got ${article(jsonType(value))}`);
    return undefined;
  }
  return value;
}

/** A stage param read from a params file, which a `--set` of its key reaches. */
interface FileParamTarget {
  readonly stage: Stage;
  /** The param's name in the stage (`params.yaml:train.lr`). */
  readonly param: string;
  /** The params file's workspace path. */
  readonly file: string;
  /** The dotted key the stage declares. */
  readonly key: string;
  /** The key's path inside the param's value, when the stage reads a whole section the `--set` names a key of. */
  readonly within: readonly string[];
}

/**
 * Every stage param a `--set` name reaches as a params-file key: the bare
 * dotted key (`train.lr`, as `dvc exp run -S` takes it) in whichever stages
 * read it, or the key prefixed by its file as declared (`params.yaml:train.lr`)
 * or by its workspace path (`projects/eta/params.yaml:train.lr`), which is
 * never ambiguous.
 */
function fileParamTargets(workspace: Workspace, name: string): FileParamTarget[] {
  const targets: FileParamTarget[] = [];
  for (const stage of workspace.stages.values()) {
    for (const file of stage.paramsFiles) {
      for (const key of file.keys) {
        const param = fileParamName(file.declared, key);
        for (const spelling of [key, param, `${file.path}:${key}`]) {
          if (name === spelling) targets.push({ stage, param, file: file.path, key, within: [] });
          else if (name.startsWith(`${spelling}.`)) targets.push({ stage, param, file: file.path, key, within: name.slice(spelling.length + 1).split(".") });
          else continue;
          break;
        }
      }
    }
  }
  return targets;
}

/** Every params-file key a `--set` may name, bare (`train.lr`). */
function fileParamKeys(workspace: Workspace): Set<string> {
  const keys = new Set<string>();
  for (const stage of workspace.stages.values()) for (const file of stage.paramsFiles) for (const key of file.keys) keys.add(key);
  return keys;
}

function findStage(workspace: Workspace, name: string): Stage | undefined {
  const exact = workspace.stages.get(name as StageId);
  if (exact) return exact;
  const byName = [...workspace.stages.values()].filter((s) => s.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}

/** The value at `path` inside `value` (undefined where there is none). */
function valueAt(value: Json, path: readonly string[]): Json | undefined {
  let node: Json | undefined = value;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * A string param takes the raw text; anything else is read as its file reads it (a params-file key:
 * `.5` in YAML), else as JSON (a pipeline.ts param).
 */
function parseValue(raw: string, declared: Json, format?: ParamsFormat): Json {
  if (typeof declared === "string") return raw;
  if (format !== undefined) {
    const read = readWords(raw, format);
    return read.ok ? read.value : raw;
  }
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

/** "a number", "an array". */
function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
}

function jsonType(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
