/**
 * The cell tagged `parameters` (the papermill convention) holds the knobs of
 * a notebook. Each `name = <literal>` in it becomes a stage param with the
 * literal as its value, and a command-line flag the script parses; anything
 * computed (`lr = base / 10`) stays code, because its value is not known
 * until Python runs it. A literal is a number, a string, True, False, None,
 * or a list or dict of literals (dict keys strings), so its value is JSON.
 */
import type { Json } from "../pipeline/index.js";
import { tokenize, type Token } from "./python-lexer.js";

/**
 * The Python types a literal param can have; each maps to an argparse
 * `type` (None, lists and dicts are passed as JSON).
 */
export type ParamKind = "int" | "float" | "str" | "bool" | "none" | "list" | "dict";

/** A literal assignment of the parameters cell. */
export interface NotebookParam {
  readonly name: string;
  readonly kind: ParamKind;
  readonly value: Json;
  /** The literal as the notebook wrote it (a list or dict may span lines). */
  readonly source: string;
  /** Offsets of the literal in the cell code, to be replaced by the parsed flag. */
  readonly start: number;
  readonly end: number;
}

/** The literal params of a parameters cell, and the statements that are not literals. */
export function readParameters(code: string): { params: NotebookParam[]; computed: string[] } {
  const params: NotebookParam[] = [];
  const computed: string[] = [];
  for (const statement of statements(tokenize(code))) {
    const target = assignmentTarget(statement);
    if (!target) continue;
    const param = literal(target.name, statement.slice(target.valueAt), code);
    if (param) params.push(param);
    else computed.push(target.name);
  }
  return { params, computed };
}

/** Tokens grouped by logical line, comments dropped. */
function statements(tokens: readonly Token[]): Token[][] {
  const groups: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === "newline") groups.push([]);
    else if (token.kind !== "comment") (groups[groups.length - 1] as Token[]).push(token);
  }
  return groups.filter((g) => g.length > 0);
}

/** `name = ...` or `name: type = ...`; undefined for anything else. */
function assignmentTarget(statement: readonly Token[]): { name: string; valueAt: number } | undefined {
  const [first, second] = statement;
  if (first?.kind !== "name" || !second) return undefined;
  if (second.text === "=" && statement[2]?.text !== "=") return { name: first.text, valueAt: 2 };
  if (second.text === ":") {
    const equals = statement.findIndex((t, i) => i > 1 && t.text === "=");
    if (equals > 0 && statement[equals + 1]?.text !== "=") return { name: first.text, valueAt: equals + 1 };
  }
  return undefined;
}

function literal(name: string, value: readonly Token[], code: string): NotebookParam | undefined {
  const parsed = pyValue(value, 0);
  const first = value[0];
  const last = value[value.length - 1];
  if (!parsed || parsed.next !== value.length || !first || !last) return undefined;
  return { name, kind: parsed.kind, value: parsed.value, source: code.slice(first.start, last.end), start: first.start, end: last.end };
}

/** The literal starting at token `at`: its value, kind, and the index of the token after it. */
function pyValue(tokens: readonly Token[], at: number): { value: Json; kind: ParamKind; next: number } | undefined {
  const token = tokens[at];
  if (!token) return undefined;
  if (token.kind === "string") {
    // Adjacent literals concatenate in Python; such a value is left as code.
    if (token.value === undefined || tokens[at + 1]?.kind === "string") return undefined;
    return { value: token.value, kind: "str", next: at + 1 };
  }
  if (token.kind === "name") {
    const named: Record<string, { value: Json; kind: ParamKind }> = { True: { value: true, kind: "bool" }, False: { value: false, kind: "bool" }, None: { value: null, kind: "none" } };
    const found = named[token.text];
    return found ? { ...found, next: at + 1 } : undefined;
  }
  const negative = token.text === "-" && tokens[at + 1]?.kind === "number";
  const number = negative ? tokens[at + 1] : token.kind === "number" ? token : undefined;
  if (number) {
    const parsed = /[jJ]$/.test(number.text) ? undefined : parseNumber(number.text);
    return parsed ? { kind: parsed.kind, value: negative ? -parsed.value : parsed.value, next: at + (negative ? 2 : 1) } : undefined;
  }
  if (token.text === "[") return pyList(tokens, at + 1);
  if (token.text === "{") return pyDict(tokens, at + 1);
  return undefined;
}

function pyList(tokens: readonly Token[], from: number): { value: Json; kind: ParamKind; next: number } | undefined {
  const items: Json[] = [];
  let at = from;
  while (tokens[at]?.text !== "]") {
    const item = pyValue(tokens, at);
    if (!item) return undefined;
    items.push(item.value);
    at = item.next;
    if (tokens[at]?.text === ",") at++;
    else if (tokens[at]?.text !== "]") return undefined;
  }
  return { value: items, kind: "list", next: at + 1 };
}

function pyDict(tokens: readonly Token[], from: number): { value: Json; kind: ParamKind; next: number } | undefined {
  const entries: Record<string, Json> = {};
  let at = from;
  while (tokens[at]?.text !== "}") {
    const key = pyValue(tokens, at);
    // JSON keys are strings: a dict keyed by numbers or names stays code.
    if (!key || key.kind !== "str" || tokens[key.next]?.text !== ":") return undefined;
    const item = pyValue(tokens, key.next + 1);
    if (!item) return undefined;
    entries[key.value as string] = item.value;
    at = item.next;
    if (tokens[at]?.text === ",") at++;
    else if (tokens[at]?.text !== "}") return undefined;
  }
  return { value: entries, kind: "dict", next: at + 1 };
}

function parseNumber(text: string): { kind: "int" | "float"; value: number } | undefined {
  const clean = text.replace(/_/g, "");
  if (/^0[xXoObB]/.test(clean)) return { kind: "int", value: Number(clean) };
  const value = Number(clean);
  if (!Number.isFinite(value)) return undefined;
  return { kind: /^\d+$/.test(clean) ? "int" : "float", value };
}
