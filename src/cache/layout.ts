/**
 * Where everything lives under a workspace's `cache/` (git-ignored):
 *
 *   cache/objects/<2 hex>/<digest>   content-addressed outputs and logs
 *   cache/records/<2 hex>/<key>.json run records (the action cache)
 *   cache/record-index.json          what hits need from the records the last run used
 *   cache/history.jsonl              run history (the experiment tracker)
 *   cache/stat-cache.json            path, size, mtime, inode -> digest
 *   cache/experiments.json           the experiments (src/ops/experiments-file.ts)
 *   cache/exp/<name>/                an experiment's scratch workspace while it builds; its
 *                                    cache/ links objects, records and history.jsonl here
 *   cache/tmp/                       temp files, cleared by the lock holder
 *   cache/lock                       the one-writer-per-workspace lock
 */
import { join } from "node:path";

export interface CacheLayout {
  readonly root: string;
  readonly dir: string;
  readonly records: string;
  readonly recordIndex: string;
  readonly history: string;
  readonly statCache: string;
  readonly tmp: string;
  readonly lock: string;
  /** The committed lock file at the workspace root. */
  readonly lockFile: string;
}

export function cacheLayout(workspaceRoot: string): CacheLayout {
  const dir = join(workspaceRoot, "cache");
  return {
    root: workspaceRoot,
    dir,
    records: join(dir, "records"),
    recordIndex: join(dir, "record-index.json"),
    history: join(dir, "history.jsonl"),
    statCache: join(dir, "stat-cache.json"),
    tmp: join(dir, "tmp"),
    lock: join(dir, "lock"),
    lockFile: join(workspaceRoot, "sluice.lock"),
  };
}
