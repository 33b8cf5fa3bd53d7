/**
 * Dropping experiments (`exp remove`), and what `gc` keeps for the ones
 * recorded: the run records of their stages, whose objects hold their
 * outputs. Once an experiment is removed, the next `gc` may drop its results.
 */
import { openCache } from "../cache/index.js";
import { ok } from "../util/result.js";
import { readExperiments, writeExperiments } from "./experiments-file.js";
import { unknownExperiment } from "./exp-views.js";
import { refuse, type OpResult } from "./failure.js";
import { takeWorkspaceLock } from "./run-once.js";

/** Removes the named experiments (all of them or none: an unknown name refuses). */
export async function removeExperiments(root: string, names: readonly string[], options: { readonly wait: boolean }): Promise<OpResult<{ removed: string[] }>> {
  const lock = await takeWorkspaceLock(await openCache(root), options.wait, {});
  if (!lock.ok) return lock;
  try {
    const recorded = readExperiments(root);
    if (!recorded.ok) return recorded;
    const unknown = names.find((name) => !recorded.value.some((e) => e.name === name));
    if (unknown !== undefined) return refuse("usage", unknownExperiment(unknown, recorded.value));
    const written = writeExperiments(root, recorded.value.filter((e) => !names.includes(e.name)));
    return written.ok ? ok({ removed: [...new Set(names)] }) : written;
  } finally {
    if (lock.value.ok) await lock.value.lock.release();
  }
}

/** The stage keys whose run records the recorded experiments need (for gc); a corrupt file refuses, so gc drops nothing it should keep. */
export function experimentKeys(root: string): OpResult<Set<string>> {
  const recorded = readExperiments(root);
  if (!recorded.ok) return recorded;
  return ok(new Set(recorded.value.flatMap((e) => e.stages.map((s) => s.key))));
}
