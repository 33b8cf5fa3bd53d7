/**
 * JSON files with stable bytes: keys sorted at every level, two-space indent,
 * trailing newline. Model files and reports are content-addressed, so key
 * order must not depend on how an object happened to be built.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** `value` as canonical, pretty JSON text. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Writes `value` to `path` as {@link stableJson}. */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileSync(path, stableJson(value));
}

/** Reads a JSON file (unvalidated: callers parse it with their zod schema). */
export function readJsonFile(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8")) as unknown;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
