/**
 * `status --locked`: does this commit's pipeline match its sluice.lock?
 * Per stage, the key computed from today's declarations and inputs against
 * the lock's key, and every present output against the lock's digest. An
 * absent output is no drift (a run restores or rebuilds it), so a clone
 * without cache or data can still ask.
 */
import { lockedComponents, type CacheSession, type KeyComponents, type LockFile, type StageKey } from "../cache/index.js";
import type { BuildResult, PlanOptions } from "../exec/index.js";
import type { StageId, Workspace } from "../pipeline/index.js";
import { explainChange } from "../report/index.js";

/** One stage against sluice.lock. */
export interface LockCheck {
  readonly id: StageId;
  /** What differs from the lock, in the words `explain` uses; empty when the stage matches. */
  readonly drift: readonly string[];
  /** Locked outputs absent from the workspace: not drift, `sluice run` restores or rebuilds them. */
  readonly missing: readonly string[];
}

/**
 * The digests a dry run assumes for the outputs of an upstream stage that
 * would run: the lock's. Sound, because that upstream's own key is checked
 * against the lock too: if it drifted, it is reported itself, and if it did
 * not, the lock's digests are what its run gives (the lock was written by
 * a run of the declared pipeline).
 */
export function lockedOutputs(workspace: Workspace, lock: LockFile): NonNullable<PlanOptions["assumedOutputs"]> {
  return (id) => {
    const locked = lock.stages[id];
    const stage = workspace.stages.get(id);
    if (!locked || !stage) return undefined;
    const digests: Record<string, string> = {};
    for (const out of stage.outs) {
      const entry = locked.outs.find((o) => o.path === out.path);
      if (!entry) return undefined;
      digests[out.name] = entry.digest;
    }
    return digests;
  };
}

/**
 * Checks every stage of a dry run (made with `lockedOutputs`) against the
 * lock; by stage id, as the lock lists them. A frozen stage has no key of
 * its own today (it never runs): only its outputs are checked.
 */
export async function checkLock(cache: CacheSession, lock: LockFile, build: BuildResult, workspace: Workspace): Promise<LockCheck[]> {
  const checks: LockCheck[] = [];
  for (const result of [...build.results].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const locked = lock.stages[result.id];
    if (!locked) {
      checks.push({ id: result.id, drift: ["not in sluice.lock"], missing: [] });
      continue;
    }
    const drift: string[] = [];
    if (result.failure) drift.push(result.failure.message);
    else if (workspace.stages.get(result.id)?.frozen) {
      // its outputs, checked below, are all there is to compare
    } else if (!result.key) drift.push(...(result.why.length > 0 ? result.why : ["its key cannot be computed"]));
    else if (result.key !== locked.key) drift.push(...(await keyChanges(cache, locked, build.components.get(result.id), result.key)));
    const missing: string[] = [];
    for (const out of locked.outs) {
      const digest = await cache.statCache.digest(out.path);
      if (digest === undefined) missing.push(out.path);
      else if (digest !== out.digest) drift.push(`${out.path} modified (sluice.lock has ${out.digest}, the workspace ${digest})`);
    }
    checks.push({ id: result.id, drift, missing });
  }
  return checks;
}

/** Why today's key is not the lock's: the components that differ, from the lock (or, for an older lock, the cache's record). */
async function keyChanges(
  cache: CacheSession,
  locked: LockFile["stages"][string],
  today: KeyComponents | undefined,
  key: StageKey,
): Promise<string[]> {
  const fallback = [`key ${locked.key} -> ${key}`];
  if (!today) return fallback;
  if (looksLikeComponents(locked.components)) {
    const changes = explainChange(locked.components, lockedComponents(today));
    return changes.length > 0 ? changes : fallback;
  }
  const { record } = await cache.records.get(locked.key as StageKey);
  const changes = record ? explainChange(record.components, today) : [];
  return changes.length > 0 ? changes : fallback;
}

/** The lock is a file anyone can edit: components are used only when they have the fields `explainChange` reads. */
function looksLikeComponents(value: unknown): value is KeyComponents {
  if (typeof value !== "object" || value === null) return false;
  const fields = value as Record<string, unknown>;
  return ["params", "deps", "outs", "env", "probes", "runtime"].every((name) => typeof fields[name] === "object" && fields[name] !== null);
}
