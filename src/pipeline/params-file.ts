/**
 * Params files (`params.yaml`, `params.json`): reading one, picking the
 * values of dotted keys out of it, and setting keys in its text. A stage's
 * key takes the named keys' values and its command sees a copy made of
 * exactly them (params-written.ts), so a key it did not name can neither
 * change its result unseen nor be read by it at all.
 */
import { createRequire } from "node:module";
import { readBoundedText } from "../util/bounded-read.js";
import { canonicalJson } from "../util/canonical-json.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { Json } from "./decl.js";

/** The formats a params file may have, told by its extension. */
export type ParamsFormat = "yaml" | "json";

/** A params file larger than this is refused: it is configuration, not data. */
export const MAX_PARAMS_FILE_BYTES = 1024 * 1024;

/** The format of a params or metrics file by its extension, or undefined when it is neither YAML nor JSON. */
export function structuredFormat(path: string): ParamsFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  return undefined;
}

/**
 * The name a file param has among a stage's params: `params.yaml:train.lr`.
 * The colon cannot appear in a declared param's placeholder name, so the
 * two never collide in a `cmd`.
 */
export function fileParamName(declaredPath: string, key: string): string {
  return `${declaredPath}:${key}`;
}

/** Parses the text of a YAML or JSON document into JSON values, or says why it cannot. */
export function parseStructured(text: string, format: ParamsFormat): { ok: true; value: Json } | { ok: false; problem: string } {
  try {
    // The core schema reads no dates or other non-JSON scalars; a few aliases are fine, an alias bomb is not.
    const value = format === "json" ? (JSON.parse(text) as Json) : (yaml().parse(text, { schema: "core", maxAliasCount: 100 }) as Json);
    return { ok: true, value: value ?? {} };
  } catch (error) {
    return { ok: false, problem: syntaxProblem(format, error as Error) };
  }
}

/**
 * "is not valid YAML: <what> at line 4, column 1". The parser's message goes
 * on after a colon with a copy of the line; one line is wanted here, and a
 * colon that leads nowhere reads as if something was cut off.
 */
function syntaxProblem(format: ParamsFormat, error: Error): string {
  const first = (error.message.split("\n")[0] ?? "").replace(/:\s*$/, "");
  return `is not valid ${format === "json" ? "JSON" : "YAML"}: ${first}`;
}

/** Reads and parses a params file, bounded in size (with its text); a problem is phrased to follow the file's name. */
export function readStructuredFile(absolute: string, format: ParamsFormat): { ok: true; value: Json; text: string } | { ok: false; problem: string } {
  const read = readBoundedText(absolute, MAX_PARAMS_FILE_BYTES);
  if (read.kind === "absent") return { ok: false, problem: "does not exist" };
  if (read.kind === "error") return { ok: false, problem: read.problem };
  const parsed = parseStructured(read.text, format);
  return parsed.ok ? { ...parsed, text: read.text } : parsed;
}

/**
 * The value at a dotted key (`featurize.max_features`) of a parsed document,
 * or why there is none, with the nearest key that exists at that depth.
 */
export function selectKey(document: Json, key: string): { ok: true; value: Json } | { ok: false; problem: string } {
  const segments = key.split(".");
  if (segments.some((s) => s === "")) return { ok: false, problem: `"${key}" is not a dotted key (name.name...)` };
  let node: Json = document;
  for (let i = 0; i < segments.length; i++) {
    const prefix = segments.slice(0, i).join(".");
    if (node === null || typeof node !== "object" || Array.isArray(node)) {
      return { ok: false, problem: `has no key "${key}": ${prefix} is ${Array.isArray(node) ? "a list" : "a value"}, not a mapping` };
    }
    const segment = segments[i] as string;
    if (!Object.hasOwn(node, segment)) {
      const siblings = Object.keys(node).map((name) => (prefix ? `${prefix}.${name}` : name));
      return { ok: false, problem: `has no key "${key}"${didYouMean(segments.slice(0, i + 1).join("."), siblings)}` };
    }
    node = node[segment] as Json;
  }
  return { ok: true, value: node };
}

/**
 * Why two keys of one declaration cannot both be named (one holds the
 * other, so the copy the stage sees could not hold both as declared), or
 * undefined.
 */
export function nestedKeyProblem(keys: readonly string[]): string | undefined {
  const sorted = [...keys].sort();
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1] as string, sorted[i] as string];
    if (a === b) return `names "${a}" twice`;
    if (b.startsWith(`${a}.`)) return `names both "${a}" and "${b}", which lies inside it: name one of them`;
  }
  return undefined;
}

let loaded: typeof import("yaml") | undefined;

/**
 * The YAML library, loaded the first time a YAML file is read or written:
 * importing it costs about as much as planning the example workspace, which
 * reads no YAML.
 */
export function yaml(): typeof import("yaml") {
  loaded ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return loaded;
}

/**
 * The text of a params file with the given dotted keys set to the given
 * words (YAML or JSON fragments, as `setWords` makes them), every other
 * byte kept: the other keys as written (`0755`, a 20-digit seed, `1.0`),
 * comments and layout. What `run --set` keys and reads, what `exp run`
 * writes into an experiment's copy and `exp apply` into the workspace.
 */
export function withKeysSet(text: string, format: ParamsFormat, entries: Iterable<readonly [key: string, words: string]>): { ok: true; text: string } | { ok: false; problem: string } {
  const lib = yaml();
  // JSON is YAML too, so one parser finds where each value is written in either.
  const document = lib.parseDocument(text, { schema: format === "json" ? "json" : "core" });
  if (document.errors.length > 0) return { ok: false, problem: syntaxProblem(format, document.errors[0] as Error) };
  const spans: { start: number; end: number; words: string }[] = [];
  for (const [key, words] of entries) {
    const node = document.getIn(key.split("."), true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) return { ok: false, problem: `has no key "${key}" to set` };
    spans.push({ start: node.range[0], end: node.range[1], words });
  }
  // From the end, so each span's offsets still hold when it is replaced.
  spans.sort((a, b) => b.start - a.start);
  let edited = text;
  for (const [i, { start, end, words }] of spans.entries()) {
    if (i > 0 && end > (spans[i - 1] as (typeof spans)[number]).start) return { ok: false, problem: "is set twice over: a key and a key inside it" };
    edited = edited.slice(0, start) + words + edited.slice(end);
  }
  return { ok: true, text: edited };
}

/**
 * What a `--set` writes for a params-file key: the value as typed, where
 * that is a fragment the file's readers read as the value (`2.0`, a
 * 20-digit seed, `off`), else the value as JSON, which a YAML reader reads
 * alike (a string holding `: `, say).
 */
export function setWords(typed: string, value: Json, format: ParamsFormat): string {
  // A comment would end a flow the copy a stage reads puts the value in.
  if (!/\n| #/.test(typed) && typed.trim() === typed && typed !== "") {
    const read = readWords(typed, format);
    if (read.ok && canonicalJson(read.value) === canonicalJson(value) && !textToOlderReaders(typed, value, format)) return typed;
  }
  return JSON.stringify(value);
}

/**
 * Whether PyYAML (a YAML 1.1 reader, the one Python stages use) takes as a string a plain scalar the
 * value says is a number, a boolean or null: `1e-3` (its floats want a dot, and a sign in an exponent).
 * Its resolver's patterns, as PyYAML writes them.
 */
function textToOlderReaders(typed: string, value: Json, format: ParamsFormat): boolean {
  if (format === "json" || typeof value === "string" || /^["'[{]/.test(typed)) return false;
  const pattern =
    typeof value === "number"
      ? /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$/
      : typeof value === "boolean"
        ? /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/
        : /^(?:~|null|Null|NULL)$/;
  return !pattern.test(typed);
}

/** What a params file's reader makes of `words` written as a key's value: a JSON value, or a YAML flow value. */
export function readWords(words: string, format: ParamsFormat): { ok: true; value: Json } | { ok: false } {
  return format === "json" ? parseStructured(words, "json") : parseFragment(words);
}

/** A one-line fragment read as a YAML flow value: what it is where it stands as a mapping's value. */
function parseFragment(fragment: string): { ok: true; value: Json } | { ok: false } {
  const parsed = parseStructured(`value: ${fragment}\n`, "yaml");
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) return { ok: false };
  const keys = Object.keys(parsed.value);
  return keys.length === 1 && keys[0] === "value" ? { ok: true, value: parsed.value["value"] as Json } : { ok: false };
}
