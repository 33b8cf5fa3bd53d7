/**
 * Records where a declaration was written. Capturing a formatted stack is
 * costly (and more so when source maps are on: every frame is mapped), and a
 * pipeline declares thousands of stages; so only the raw V8 position is
 * captured, and it is mapped back into the user's `.ts` file the first time
 * something reads the line or column (a diagnostic).
 */
import { findSourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import { commandScopedMap } from "../util/command-scope.js";
import type { SourceLocation } from "./decl.js";
import { originalPosition } from "./mirror-positions.js";
import { originalOf } from "./module-mirror.js";

/**
 * The package's own code: the bundle's folder, or `src/` (`dist/src/`) when
 * run from sources. Stages declared by the package's factories (the promote
 * stage) are placed at the user's call of the factory, not inside it.
 */
const OWN_DIR = fileURLToPath(new URL(/[\\/]src[\\/]pipeline[\\/][^\\/]*$/.test(import.meta.url) ? ".." : ".", import.meta.url));
/** This folder's declaration API, in any copy: compiled, source, or a workspace's mirror of the source. */
const OWN_FILE = /[\\/]src[\\/]pipeline[\\/](define|call-site)\.[cm]?[jt]s$/;

interface RawFrame {
  getFileName(): string | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

/** The first stack frame outside the declaration API: the user's call. */
export function callSite(): SourceLocation {
  const previous = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, frames) => frames;
  Error.stackTraceLimit = 6; // the user's call is the frame above the builder's; deeper frames cost time for nothing
  const holder: { stack?: RawFrame[] } = {};
  Error.captureStackTrace(holder, callSite);
  const frames = holder.stack ?? [];
  Error.prepareStackTrace = previous;
  Error.stackTraceLimit = limit;
  for (const frame of frames) {
    const name = frame.getFileName();
    const file = name === undefined ? null : userFile(name);
    if (file === null) continue;
    return lazyLocation(name!, file, frame);
  }
  return { file: "<unknown>", line: 0, column: 0 };
}

/** Frame file name -> the user's file it stands for, or null for frames to skip; a pipeline repeats a few names thousands of times. */
const userFiles = commandScopedMap<string, string | null>();

function userFile(name: string): string | null {
  let file = userFiles.get(name);
  if (file === undefined) {
    file = null;
    if (!name.startsWith("node:")) {
      const path = name.startsWith("file://") ? fileURLToPath(name) : name;
      const original = originalOf(path) ?? path;
      if (!path.startsWith(OWN_DIR) && !OWN_FILE.test(original)) file = original;
    }
    userFiles.set(name, file);
  }
  return file;
}

/**
 * The frame's line and column are asked for only when someone reads them (a
 * diagnostic): V8 finds a position by decoding the calling function's
 * position table, which costs time in proportion to that function's size,
 * and a generated pipeline can declare ten thousand stages in one function.
 */
function lazyLocation(url: string, file: string, frame: RawFrame): SourceLocation {
  let mapped: { line: number; column: number } | undefined;
  const resolve = () => (mapped ??= mapPosition(url, frame.getLineNumber() ?? 0, frame.getColumnNumber() ?? 0));
  return {
    file,
    get line() {
      return resolve().line;
    },
    get column() {
      return resolve().column;
    },
  };
}

/**
 * Maps a generated position to the original source: through the mirror's map
 * file, or the map Node keeps for a module loaded through loader hooks.
 */
function mapPosition(url: string, line: number, column: number): { line: number; column: number } {
  const mirrored = originalPosition(url, line, column);
  if (mirrored) return mirrored;
  const entry = findSourceMap(url)?.findEntry(line - 1, column - 1) as
    | { originalLine?: number; originalColumn?: number }
    | undefined;
  if (entry?.originalLine === undefined || entry.originalColumn === undefined) return { line, column };
  return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}
