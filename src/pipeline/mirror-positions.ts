/**
 * Maps positions in the compiled mirror (`cache/compiled/...`) back to the
 * user's TypeScript, from the `.map` file written beside each compiled file.
 *
 * Node could do this itself with source maps enabled, but then it decodes
 * and indexes every map the moment a module loads: for a generated pipeline
 * of a thousand stages that was ~20 ms of every no-op run, spent to answer a
 * question asked only when something goes wrong. Here a map is read the first
 * time a position in its file is asked for (a diagnostic, a stack frame).
 */
import { readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { commandScopedMap } from "../util/command-scope.js";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface OriginalPosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The map file of a compiled mirror file. */
export function mapFileOf(mirrorFile: string): string {
  return `${mirrorFile}.map`;
}

/** Compiled file -> its parsed map, or null when it has none (not a mirror file). */
const maps = commandScopedMap<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(mapFileOf(file), "utf8")) as SourceMapPayload);
    } catch {
      // No map (a module outside the mirror) or an unreadable one: positions stay as they are.
    }
    maps.set(file, map);
  }
  return map;
}

/**
 * The original file, line and column (1-based) of a position in a compiled
 * file with a map beside it (the mirror's, or sluice's own `dist/`);
 * undefined when there is no map or it says nothing about the position.
 */
export function originalPosition(fileOrUrl: string, line: number, column: number): OriginalPosition | undefined {
  const file = fileOrUrl.startsWith("file://") ? fileURLToPath(fileOrUrl) : fileOrUrl;
  const map = mapOf(file);
  if (!map) return undefined;
  const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  return { file: sourcePath(file, entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/** A map's `sources` entry as an absolute path: esbuild writes the path given, tsc one relative to the map. */
function sourcePath(compiledFile: string, source: string): string {
  if (source.startsWith("file://")) return fileURLToPath(source);
  return isAbsolute(source) ? source : resolve(dirname(compiledFile), source);
}

const FRAME_POSITION = /((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)/g;

/** A stack trace with every frame in a mapped compiled file pointed at the original source. */
export function originalStack(stack: string): string {
  return stack.replace(FRAME_POSITION, (whole, file: string, line: string, column: string) => {
    const original = originalPosition(file, Number(line), Number(column));
    return original ? `${original.file}:${original.line}:${original.column}` : whole;
  });
}
