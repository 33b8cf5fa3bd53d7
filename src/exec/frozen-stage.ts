/**
 * A frozen stage (`frozen: true`) never runs, whatever its code, params or
 * deps now say: its outputs are what the workspace holds, and an output
 * that is missing comes back from the result `sluice.lock` records for it,
 * out of the cache. Downstream stages key on those digests as on any
 * upstream's. The result carries no key, so `sluice.lock` keeps the entry
 * of the stage's last real run.
 */
import { digestSize, isDigest, readLockFile, type CacheSession, type RecordedOut } from "../cache/index.js";
import type { Stage } from "../pipeline/index.js";
import type { StageResult } from "./events.js";
import { emptyLogDigest, restoreOutputs } from "./outputs.js";
import { failedResult, plainResult } from "./stage-results.js";

/** The outputs a frozen stage stands on; a build (`restore`) brings missing ones back, a plan only says it would. */
export async function frozenStage(cache: CacheSession, workspaceRoot: string, stage: Stage, restore: boolean): Promise<StageResult> {
  const present = await presentOutputs(cache, stage);
  if (present) return { ...plainResult(stage.id, "cached", undefined, ["frozen"]), outs: present };
  const locked = lockedOutputs(cache, stage);
  const unfreeze = `unfreeze it (remove frozen: true) to build it`;
  if (!locked) {
    return failedResult(stage.id, "missing-output", `is frozen, but its outputs are not in the workspace and sluice.lock records none: ${unfreeze}`);
  }
  if (!restore) return { ...plainResult(stage.id, "restored", undefined, ["frozen", "would restore its outputs as sluice.lock records them"]), outs: locked };
  const hit = { outs: locked, log: emptyLogDigest(), held: false, decisions: [] };
  const outcome = await restoreOutputs(workspaceRoot, stage, hit, cache.store, cache.statCache);
  if (!outcome.ok) {
    return failedResult(stage.id, "missing-output", `is frozen and its outputs are missing; the cache cannot restore those sluice.lock records (${outcome.problem.reason}): ${unfreeze}`);
  }
  return { ...plainResult(stage.id, "restored", undefined, ["frozen", "restored its outputs as sluice.lock records them"]), outs: locked };
}

/** Every output as the workspace holds it, or undefined when one is missing. */
async function presentOutputs(cache: CacheSession, stage: Stage): Promise<Record<string, RecordedOut> | undefined> {
  const outs: Record<string, RecordedOut> = {};
  for (const out of stage.outs) {
    const digest = await cache.statCache.digest(out.path);
    if (digest === undefined) return undefined;
    outs[out.name] = { path: out.path, kind: out.kind, digest, size: digestSize(digest) };
  }
  return outs;
}

/** The outputs `sluice.lock` records for the stage, when it records every one. */
function lockedOutputs(cache: CacheSession, stage: Stage): Record<string, RecordedOut> | undefined {
  const entry = readLockFile(cache.layout.lockFile).stages[stage.id];
  const outs: Record<string, RecordedOut> = {};
  for (const out of stage.outs) {
    const locked = entry?.outs.find((o) => o.path === out.path);
    if (!locked || !isDigest(locked.digest)) return undefined;
    outs[out.name] = { path: out.path, kind: out.kind, digest: locked.digest, size: locked.size };
  }
  return outs;
}
