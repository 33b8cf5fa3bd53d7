/**
 * `sluice status`: a plan of the targets, each stage fresh, stale, missing
 * or modified; with `locked`, every stage's key and present outputs against
 * `sluice.lock` (a stage whose upstream would run is keyed on the lock's
 * digests of that upstream's outputs), and the drift found.
 */
import { openCache, readLockFile } from "../cache/index.js";
import type { StageResult } from "../exec/index.js";
import { selectTargets } from "../graph/index.js";
import { freshness, type Freshness } from "../report/index.js";
import { refuseWith, type OpResult } from "./failure.js";
import { checkLock, lockedOutputs, type LockCheck } from "./lock-check.js";
import { planStages } from "./plan-stages.js";
import type { LoadedWorkspace } from "./run-once.js";

export interface StatusRow {
  readonly id: string;
  readonly state: Freshness;
  readonly key: string | null;
  readonly why: readonly string[];
  readonly outputs?: StageResult["differing"];
}

export interface WorkspaceStatus {
  /** The plan, one result per selected stage. */
  readonly results: readonly StageResult[];
  readonly rows: readonly StatusRow[];
  /** With `locked`: each stage against the lock. */
  readonly checks: readonly LockCheck[] | undefined;
  /** With `locked`: every difference, `<stage>: <what>`; empty when the lock matches. */
  readonly drift: readonly string[];
}

export async function workspaceStatus(loaded: LoadedWorkspace, request: { readonly targets: readonly string[]; readonly locked: boolean }): Promise<OpResult<WorkspaceStatus>> {
  const selected = selectTargets(loaded.dag, request.targets);
  if (!selected.ok) return refuseWith(selected.error);
  const cache = await openCache(loaded.root);
  const lock = request.locked ? readLockFile(cache.layout.lockFile) : undefined;
  const build = await planStages(cache, loaded, selected.value, lock ? lockedOutputs(loaded.workspace, lock) : undefined);
  const checks = lock ? await checkLock(cache, lock, build, loaded.workspace) : undefined;
  const drift = (checks ?? []).flatMap((c) => c.drift.map((reason) => `${c.id}: ${reason}`));
  const rows = build.results.map((r) => ({
    id: r.id,
    state: freshness(r),
    key: r.key ?? null,
    why: r.why,
    ...(r.differing && r.differing.length > 0 ? { outputs: r.differing } : {}),
  }));
  return { ok: true, value: { results: build.results, rows, checks, drift } };
}
