/**
 * Params-file values as written, for the copy a `cmd` stage reads and for
 * its key. Parsed into JSON values, `1.0` and `1` are one number, a 20-digit
 * seed loses its last digits, and `no` and `"no"` are one string, where the
 * stage's own YAML reader (PyYAML, a YAML 1.1 reader) tells each pair apart:
 * `max_features=1.0` is every feature to scikit-learn and `1` is one. So the
 * copy carries each value in the file's own words, and the key takes those
 * words: an edit the stage could notice is a new key, and the copy never
 * says what the file did not.
 *
 * A value is written as a one-line YAML flow (or JSON) fragment: a scalar as
 * it appears in the file (tag included), a collection in flow form with its
 * items so written. Only what cannot stand in a flow on one line is
 * rewritten: a string over several lines (a block scalar) or holding a flow
 * indicator, as a double-quoted string, which every YAML reader takes as
 * that string; and an alias, as what it names.
 */
import type { Document, Node as YamlNode } from "yaml";
import { commandScopedMap } from "../util/command-scope.js";
import type { Stage } from "./model.js";
import { fileParamName, yaml as yamlLibrary, type ParamsFormat } from "./params-file.js";

/** The value at dotted `key` of a params file's `text`, as written there; undefined when there is none. */
function writtenValue(text: string, format: ParamsFormat, key: string): string | undefined {
  const parsed = parsedFile(text, format);
  if (parsed.asWritten.has(key)) return parsed.asWritten.get(key);
  const yaml = yamlLibrary();
  let node: unknown = parsed.document.contents;
  for (const segment of key.split(".")) {
    const pair = yaml.isMap(node) ? lastPair(node.items, segment) : undefined;
    node = pair ? (pair.value ?? null) : undefined;
    if (node === undefined) break;
  }
  const written = node === undefined ? undefined : flowText({ text, format, document: parsed.document }, node as YamlNode | null);
  parsed.asWritten.set(key, written);
  return written;
}

/** A params file's parsed document, and the keys already written from it. */
interface ParsedFile {
  readonly document: Document;
  readonly asWritten: Map<string, string | undefined>;
}

/**
 * Parsed files by format and text, for one command: every stage that reads a file has its keys
 * written (a thousand stages, one params.yaml), each the same.
 */
const parsedFiles = { json: commandScopedMap<string, ParsedFile>(), yaml: commandScopedMap<string, ParsedFile>() };

function parsedFile(text: string, format: ParamsFormat): ParsedFile {
  let parsed = parsedFiles[format].get(text);
  if (!parsed) {
    // JSON is YAML too.
    const document = yamlLibrary().parseDocument(text, { schema: format === "json" ? "json" : "core", uniqueKeys: false });
    parsedFiles[format].set(text, (parsed = { document, asWritten: new Map() }));
  }
  return parsed;
}

/**
 * How each params-file param of a `cmd` stage is written in the copy it reads: as in the file
 * (as a `--set` set it, see ops/param-overrides.ts). Keyed by param name, in sorted order.
 */
export function writtenParams(stage: Stage): Record<string, string> {
  const written: [string, string][] = [];
  for (const file of stage.paramsFiles) {
    for (const key of file.keys) {
      const name = fileParamName(file.declared, key);
      written.push([name, writtenValue(file.text, file.format, key) ?? JSON.stringify(stage.params[name] ?? null)]);
    }
  }
  return Object.fromEntries(written.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The text of a params file holding exactly the given dotted keys, each with its written value:
 * nested mappings as in the file, the values as fragments.
 */
export function renderWritten(format: ParamsFormat, entries: Iterable<readonly [key: string, written: string]>): string {
  interface Level {
    readonly children: Map<string, Level | string>;
  }
  const root: Level = { children: new Map() };
  for (const [key, written] of entries) {
    const segments = key.split(".");
    let level = root;
    for (const segment of segments.slice(0, -1)) {
      const next = level.children.get(segment);
      const child = typeof next === "object" ? next : { children: new Map() };
      level.children.set(segment, child);
      level = child;
    }
    level.children.set(segments[segments.length - 1] as string, written);
  }
  const lines: string[] = [];
  const emit = (level: Level, depth: number) => {
    const entriesHere = [...level.children];
    entriesHere.forEach(([name, child], at) => {
      const indent = "  ".repeat(depth + (format === "json" ? 1 : 0));
      const comma = format === "json" && at < entriesHere.length - 1 ? "," : "";
      const label = format === "json" ? JSON.stringify(name) : yamlKey(name);
      if (typeof child === "string") {
        lines.push(`${indent}${label}: ${child}${comma}`);
      } else if (format === "json") {
        lines.push(`${indent}${label}: {`);
        emit(child, depth + 1);
        lines.push(`${indent}}${comma}`);
      } else {
        lines.push(`${indent}${label}:`);
        emit(child, depth + 1);
      }
    });
  };
  emit(root, 0);
  return format === "json" ? `{\n${lines.join("\n")}\n}\n` : `${lines.join("\n")}\n`;
}

/** A mapping key of a dotted key, plain where YAML readers all read it as that string. */
function yamlKey(name: string): string {
  return /^[A-Za-z_][\w-]*$/.test(name) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(name) ? name : JSON.stringify(name);
}

type Pairs = readonly { readonly key: unknown; readonly value: unknown }[];

/** The last pair whose key is `name` (JSON.parse lets a later duplicate win), or undefined. */
function lastPair(items: Pairs, name: string): Pairs[number] | undefined {
  const yaml = yamlLibrary();
  return [...items].reverse().find((pair) => String(yaml.isScalar(pair.key) ? pair.key.value : pair.key) === name);
}

/** A params file being written: its text, its format and its parsed document. */
interface Source {
  readonly text: string;
  readonly format: ParamsFormat;
  readonly document: Document;
}

/** `node` as a one-line flow fragment in the words of its file. */
function flowText(source: Source, node: YamlNode | null): string {
  const yaml = yamlLibrary();
  if (yaml.isAlias(node)) return flowText(source, (node.resolve(source.document) as YamlNode | undefined) ?? null);
  if (node === null) return "null";
  // A JSON value's text stands on its own wherever it is put.
  if (source.format === "json" && node.range) return source.text.slice(node.range[0], node.range[1]);
  if (yaml.isMap(node)) {
    const pairs = node.items.map((pair) => `${flowText(source, pair.key as YamlNode)}: ${flowText(source, (pair.value as YamlNode | null) ?? null)}`);
    return `{${pairs.join(", ")}}`;
  }
  if (yaml.isSeq(node)) return `[${node.items.map((item) => flowText(source, item as YamlNode)).join(", ")}]`;
  if (!yaml.isScalar(node) || !node.range) return JSON.stringify(node.toJSON());
  const tag = node.tag ? `${node.tag.replace(/^tag:yaml\.org,2002:/, "!!")} ` : "";
  const written = source.text.slice(node.range[0], node.range[1]);
  if (written === "") return tag === "" ? "null" : `${tag}""`;
  const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
  const flowUnsafe = node.type === "PLAIN" && /[,[\]{}]|: | #|^[-?:](\s|$)/.test(written);
  if (block || flowUnsafe || written.includes("\n")) return `${tag}${JSON.stringify(String(node.value))}`;
  return `${tag}${written}`;
}
