/**
 * A run record is served only when its outputs are the ones the stage
 * declares: the same names, each with the declared kind and path. The
 * restore trusts the declaration (a `dir` output is restored from a
 * manifest), so a record calling a directory a `file` would make its
 * "file" object be read as a manifest without ever being checked as one.
 * Checked before any object is downloaded (remote) or written (local).
 */
import type { StageOut } from "../pipeline/index.js";
import type { RecordedOut } from "./run-record.js";

/** Why a record's outputs do not match the declaration, or undefined when they do. */
export function recordOutputsMismatch(
  declared: readonly Pick<StageOut, "name" | "kind" | "path">[],
  recorded: Readonly<Record<string, RecordedOut>>,
): string | undefined {
  const names = new Set(declared.map((out) => out.name));
  const extra = Object.keys(recorded).filter((name) => !names.has(name)).sort();
  if (extra.length > 0) return `it records outputs the stage does not declare (${extra.join(", ")})`;
  for (const out of declared) {
    const got = Object.hasOwn(recorded, out.name) ? recorded[out.name] : undefined;
    if (!got || typeof got !== "object") return `it does not record output "${out.name}"`;
    if (got.kind !== out.kind) return `it records output "${out.name}" as a ${String(got.kind)}, the stage declares a ${out.kind}`;
    if (got.path !== out.path) return `it records output "${out.name}" at ${JSON.stringify(got.path)}, the stage declares ${out.path}`;
  }
  return undefined;
}
