/**
 * `sluice.lock`: the declared state. The committed record of each stage's
 * key, its components and its output digests after the last successful run
 * of the declared pipeline (a `--set` variant never writes it), in stable
 * key order so `git diff` shows exactly what changed and CI can check that
 * a fresh clone reproduces the same bytes. The components let `status
 * --locked` name what differs in a clone that has no cache.
 */
import { readFileSync } from "node:fs";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { digestString } from "./digest.js";
import type { KeyComponents } from "./stage-key.js";

export interface LockedOut {
  readonly path: string;
  readonly digest: string;
  readonly size: number;
}

export interface LockedStage {
  /** What the key was computed from, as `lockedComponents` commits it; absent in locks written before. */
  readonly components?: KeyComponents;
  readonly key: string;
  readonly outs: readonly LockedOut[];
}

export interface LockFile {
  readonly version: 1;
  readonly stages: Readonly<Record<string, LockedStage>>;
}

/** Reads `sluice.lock`; missing or unreadable means empty. */
export function readLockFile(path: string): LockFile {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as LockFile;
    if (parsed.version === 1 && typeof parsed.stages === "object" && parsed.stages !== null) return parsed;
  } catch {
    // absent on a fresh workspace
  }
  return { version: 1, stages: {} };
}

/**
 * Key components as the lock commits them: declared env values are
 * replaced by their digests (a token in the environment must not land in
 * git), which still tells a changed value from an unchanged one.
 */
export function lockedComponents(components: KeyComponents): KeyComponents {
  const names = Object.keys(components.env);
  if (names.length === 0) return components;
  const env: Record<string, string | null> = {};
  for (const name of names) {
    const value = components.env[name];
    env[name] = value === null || value === undefined ? null : digestString(value);
  }
  return { ...components, env };
}

/** Serialises the lock file canonically (sorted keys, two-space indent, final newline). */
export function renderLockFile(lock: LockFile): string {
  return canonicalJsonPretty(lock);
}

/**
 * Writes the lock file if its content changed; returns whether it did.
 * Compared field by field, not as rendered text: a no-op run over thousands
 * of stages would otherwise render both files only to find them equal.
 */
export async function writeLockFile(path: string, lock: LockFile, previous: LockFile): Promise<boolean> {
  if (sameStages(lock, previous)) return false;
  writeFileAtomicSync(path, renderLockFile(lock));
  return true;
}

/** Whether `a` and `b` lock the same keys and outputs; `b` is as read from disk, so any shape. */
function sameStages(a: LockFile, b: LockFile): boolean {
  const ids = Object.keys(a.stages);
  if (ids.length !== Object.keys(b.stages).length) return false;
  return ids.every((id) => {
    const x = a.stages[id];
    const y = b.stages[id];
    return (
      x !== undefined &&
      typeof y === "object" &&
      y !== null &&
      Array.isArray(y.outs) &&
      x.key === y.key &&
      // A lock written before components were kept gains them on the next run.
      (x.components === undefined) === (y.components === undefined) &&
      x.outs.length === y.outs.length &&
      x.outs.every((out, i) => out.path === y.outs[i]?.path && out.digest === y.outs[i]?.digest && out.size === y.outs[i]?.size)
    );
  });
}
