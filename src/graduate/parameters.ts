/**
 * The cell tagged `parameters` (the papermill convention) holds the knobs of
 * a notebook. Each `name = <literal>` in it becomes a stage param with the
 * literal as its value, and a command-line flag the script parses; anything
 * computed (`lr = base / 10`) stays code, because its value is not known
 * until Python runs it.
 */
import { tokenize, type Token } from "./python-lexer.js";

/** The Python types a literal param can have; each maps to an argparse `type`. */
export type ParamKind = "int" | "float" | "str" | "bool";

/** A literal assignment of the parameters cell. */
export interface NotebookParam {
  readonly name: string;
  readonly kind: ParamKind;
  readonly value: number | string | boolean;
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
    const param = literal(target.name, statement.slice(target.valueAt));
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

function literal(name: string, value: readonly Token[]): NotebookParam | undefined {
  const [first, second] = value;
  if (!first) return undefined;
  if (value.length === 1 && first.kind === "string" && first.value !== undefined) {
    return { name, kind: "str", value: first.value, start: first.start, end: first.end };
  }
  if (value.length === 1 && first.kind === "name" && (first.text === "True" || first.text === "False")) {
    return { name, kind: "bool", value: first.text === "True", start: first.start, end: first.end };
  }
  const negative = value.length === 2 && first.text === "-" && second?.kind === "number";
  const number = negative ? second : value.length === 1 && first.kind === "number" ? first : undefined;
  if (!number || /[jJ]$/.test(number.text)) return undefined;
  const parsed = parseNumber(number.text);
  if (parsed === undefined) return undefined;
  return { name, ...parsed, value: negative ? -parsed.value : parsed.value, start: first.start, end: number.end };
}

function parseNumber(text: string): { kind: "int" | "float"; value: number } | undefined {
  const clean = text.replace(/_/g, "");
  if (/^0[xXoObB]/.test(clean)) return { kind: "int", value: Number(clean) };
  const value = Number(clean);
  if (!Number.isFinite(value)) return undefined;
  return { kind: /^\d+$/.test(clean) ? "int" : "float", value };
}
