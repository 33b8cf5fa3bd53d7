/**
 * Everything a command needs to read or write the cache of one workspace,
 * opened together so every command sees the same layout.
 */
import { CodeIdentities } from "./code-identity.js";
import { cacheLayout, type CacheLayout } from "./layout.js";
import { ObjectStore } from "./object-store.js";
import type { RemoteCache } from "./remote-cache.js";
import { RunRecords } from "./run-record.js";
import { StatCache } from "./stat-cache.js";

export interface CacheSession {
  readonly layout: CacheLayout;
  readonly store: ObjectStore;
  readonly records: RunRecords;
  readonly statCache: StatCache;
  readonly code: CodeIdentities;
  /** The shared remote cache, when one is configured. */
  readonly remote: RemoteCache | undefined;
}

export async function openCache(workspaceRoot: string, remote?: RemoteCache): Promise<CacheSession> {
  const layout = cacheLayout(workspaceRoot);
  const statCache = StatCache.load(layout.statCache, workspaceRoot);
  return {
    layout,
    store: new ObjectStore(layout.dir),
    records: new RunRecords(layout.records, layout.recordIndex),
    statCache,
    code: new CodeIdentities(workspaceRoot, statCache),
    remote,
  };
}

/**
 * Writes what a session learnt for the next one to start from: file digests
 * (the stat cache) and hit views (the record index). By the workspace's
 * lock holder, after its build.
 */
export async function saveSession(cache: CacheSession): Promise<void> {
  await cache.statCache.save();
  await cache.records.saveIndex();
}
