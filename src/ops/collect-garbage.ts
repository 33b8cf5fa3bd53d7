/**
 * `sluice gc`: drops run records and objects that neither `sluice.lock`,
 * the last K runs, a recorded experiment nor any registered release
 * references, holding the workspace lock so no run is writing meanwhile.
 */
import { collectGarbage as collect, openCache, type GcReport } from "../cache/index.js";
import { workspaceRootAt } from "./load-workspace.js";
import { acquireLock } from "../util/file-lock.js";
import { refuse, type OpResult } from "./failure.js";

export interface GarbageCollected extends GcReport {
  readonly dryRun: boolean;
  /** Objects kept because a release references them. */
  readonly pinned: number;
}

export async function collectGarbage(cwd: string, request: { readonly keep: number; readonly dryRun: boolean }): Promise<OpResult<GarbageCollected>> {
  if (!Number.isInteger(request.keep) || request.keep < 0) return refuse("usage", `--keep must be a whole number of runs, 0 or more (got ${request.keep})`);
  const found = workspaceRootAt(cwd);
  if (!found.ok) return found;
  const root = found.value;
  const cache = await openCache(root);
  const lock = await acquireLock(cache.layout.lock, { wait: true });
  if (!lock.ok) return refuse("usage", "the workspace is locked by another process");
  try {
    // gc must never remove an object a release references; the registry is imported here, not by every command.
    const { pinnedDigests } = await import("../registry/index.js");
    const pinned = new Set(await pinnedDigests(root));
    // The experiments' results stay until `exp remove`; a corrupt list refuses rather than drop them.
    const { experimentKeys } = await import("./experiments.js");
    const keepKeys = experimentKeys(root);
    if (!keepKeys.ok) return keepKeys;
    const report = await collect(cache, { keepRuns: request.keep, pinned, keepKeys: keepKeys.value, dryRun: request.dryRun });
    return { ok: true, value: { dryRun: request.dryRun, pinned: pinned.size, ...report } };
  } finally {
    await lock.lock.release();
  }
}
