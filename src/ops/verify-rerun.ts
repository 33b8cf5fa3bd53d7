/**
 * `verify --rerun`: re-execute the named cached stages into scratch space
 * (their upstream is served from the cache) and compare each one's outputs
 * with its record (exec/rerun-verify.ts), with the workspace lock held.
 */
import { saveSession, type CacheSession } from "../cache/index.js";
import { runBuild, type StageResult } from "../exec/index.js";
import { matchTargets, selectTargets } from "../graph/index.js";
import { acquireLock } from "../util/file-lock.js";
import { ok } from "../util/result.js";
import { refuse, refuseWith, type OpResult } from "./failure.js";
import type { LoadedWorkspace } from "./run-once.js";

/** The results of the named stages, each with its verification (or why it has none). */
export async function rerunStages(loaded: LoadedWorkspace, cache: CacheSession, targets: readonly string[], jobs: number): Promise<OpResult<StageResult[]>> {
  const named = matchTargets(loaded.dag, targets.length > 0 ? targets : ["all"]);
  const selected = selectTargets(loaded.dag, targets.length > 0 ? targets : ["all"]);
  if (!named.ok) return refuseWith(named.error);
  if (!selected.ok) return refuseWith(selected.error);
  const lock = await acquireLock(cache.layout.lock, { wait: true });
  if (!lock.ok) return refuse("usage", "the workspace is locked by another process");
  try {
    const build = await runBuild(cache, {
      workspace: loaded.workspace,
      dag: loaded.dag,
      selected: selected.value,
      jobs,
      keepGoing: true,
      force: new Set(),
      rerun: named.value,
      resources: {},
      params: (stage) => stage.params,
      observer: {},
      signal: new AbortController().signal,
      invocation: `verify-${process.pid}`,
    });
    await saveSession(cache);
    return ok(build.results.filter((r) => named.value.has(r.id)));
  } finally {
    await lock.lock.release();
  }
}
