/**
 * Where a key of a stage declaration is written, for a diagnostic about that
 * key (`parms:` misspelt three lines below `p.stage(`): the first `key:` in
 * the lines that follow the call. Only a diagnostic reads the file, so no
 * declaration pays for this. A key that is not written there (the
 * declaration was built elsewhere and passed in) keeps the call's place.
 */
import { readFileSync } from "node:fs";
import { escapeRegExp } from "../util/escape-regexp.js";
import type { SourceLocation } from "./decl.js";

/** How far below the call a key is looked for: a declaration longer than this is rare, and a later match may be another stage's. */
const LINES_AFTER_CALL = 60;

export function keyLocation(call: SourceLocation, key: string): SourceLocation {
  let text: string;
  try {
    text = readFileSync(call.file, "utf8");
  } catch {
    return call;
  }
  const lines = text.split("\n");
  const written = new RegExp(`(^|[\\s{,(])(["']?)${escapeRegExp(key)}\\2\\s*:`);
  for (let index = call.line - 1; index < Math.min(lines.length, call.line - 1 + LINES_AFTER_CALL); index++) {
    const match = written.exec(lines[index] as string);
    if (match) return { file: call.file, line: index + 1, column: match.index + (match[1] as string).length + 1 };
  }
  return call;
}
