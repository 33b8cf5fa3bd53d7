/**
 * Renders definition diagnostics: one line naming file, line and stage,
 * then the source line with the call underlined.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Diagnostic } from "../pipeline/index.js";

export function renderDiagnostic(diagnostic: Diagnostic, cwd = process.cwd()): string {
  const lines = [`error: ${relativise(diagnostic.message, cwd)}`];
  const location = diagnostic.location;
  if (location && location.line > 0) {
    const source = sourceLine(location.file, location.line);
    if (source !== undefined) {
      const gutter = `${location.line} | `;
      lines.push(`  ${gutter}${source}`);
      const start = Math.max(0, location.column - 1);
      const width = Math.max(1, (/^[\w$.]+/.exec(source.slice(start))?.[0].length ?? 1));
      lines.push(`  ${" ".repeat(gutter.length)}${" ".repeat(start)}${"^".repeat(width)}`);
    }
  }
  return lines.join("\n");
}

function sourceLine(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, "utf8").split("\n")[line - 1]?.replace(/\t/g, " ");
  } catch {
    return undefined;
  }
}

/** Absolute paths inside the current folder are shown relative to it. */
export function relativise(message: string, cwd = process.cwd()): string {
  return message.replace(/\/[^\s:'"()]+/g, (path) => (path.startsWith(cwd) ? relative(cwd, path) || "." : path));
}
