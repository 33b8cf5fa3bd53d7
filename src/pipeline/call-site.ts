/**
 * Records where a declaration was written. Stack traces are source-mapped by
 * the TypeScript loader, so the location points into the user's `.ts` file.
 */
import { fileURLToPath } from "node:url";
import type { SourceLocation } from "./decl.js";

const OWN_DIR = fileURLToPath(new URL(".", import.meta.url));
const FRAME = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?\s*$/;

/** The first stack frame outside the declaration API: the user's call. */
export function callSite(): SourceLocation {
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  for (const line of lines) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const [, raw = "", lineNo = "0", column = "0"] = match;
    const file = raw.startsWith("file://") ? fileURLToPath(raw) : raw;
    if (file.startsWith(OWN_DIR) || file.startsWith("node:")) continue;
    return { file, line: Number(lineNo), column: Number(column) };
  }
  return { file: "<unknown>", line: 0, column: 0 };
}
