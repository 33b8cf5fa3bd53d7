/**
 * Garbage collection of the cache: keep the run records named by
 * `sluice.lock`, by the last K invocations in the history and by the
 * recorded experiments, plus every
 * object they reference and every object pinned from outside (releases);
 * drop the rest.
 */
import { readFile } from "node:fs/promises";
import { readLockFile } from "./lock-file.js";
import { readHistory } from "./run-history.js";
import { recordDigests, storedOuts, type RunRecord } from "./run-record.js";
import type { CacheSession } from "./cache-session.js";
import { isDigest, type Digest } from "./digest.js";
import { URL_ORIGIN } from "./stage-components.js";

export interface GcOptions {
  /** Keep the records of this many most recent invocations (0: none beyond the lock and the pins). */
  readonly keepRuns: number;
  /** Objects that must survive whatever the records say (release artifacts). */
  readonly pinned: ReadonlySet<string>;
  /** Run records to keep whatever the lock and history say (recorded experiments' stages). */
  readonly keepKeys?: ReadonlySet<string>;
  readonly dryRun: boolean;
}

export interface GcReport {
  readonly records: { readonly kept: number; readonly removed: number };
  readonly objects: { readonly kept: number; readonly removed: number; readonly bytesFreed: number };
}

export async function collectGarbage(cache: CacheSession, options: GcOptions): Promise<GcReport> {
  const keepKeys = new Set<string>(Object.values(readLockFile(cache.layout.lockFile).stages).map((s) => s.key));
  for (const key of options.keepKeys ?? []) keepKeys.add(key);
  const history = await readHistory(cache.layout.history);
  const invocations = new Set(lastRuns(history.map((e) => invocationOf(e.run)), options.keepRuns));
  for (const entry of history) if (invocations.has(invocationOf(entry.run))) keepKeys.add(entry.key);

  const live = new Set<string>(options.pinned);
  let removedRecords = 0;
  const allKeys = await cache.records.keys();
  for (const key of allKeys) {
    if (!keepKeys.has(key)) {
      removedRecords++;
      if (!options.dryRun) await cache.records.remove(key);
      continue;
    }
    const { record } = await cache.records.get(key);
    if (!record) continue;
    for (const digest of await referencedObjects(cache, record)) live.add(digest);
    for (const digest of fetchedDeps(record)) live.add(digest);
  }

  let removedObjects = 0;
  let bytesFreed = 0;
  const objects = await cache.store.list();
  for (const digest of objects) {
    if (live.has(digest)) continue;
    removedObjects++;
    bytesFreed += Number(digest.slice(17));
    if (!options.dryRun) await cache.store.remove(digest);
  }
  return {
    records: { kept: allKeys.length - removedRecords, removed: removedRecords },
    objects: { kept: objects.length - removedObjects, removed: removedObjects, bytesFreed },
  };
}

/** The last `count` distinct invocations, oldest first (none for 0: `slice(-0)` would be all of them). */
function lastRuns(invocations: readonly string[], count: number): string[] {
  const distinct = [...new Set(invocations)];
  return count <= 0 ? [] : distinct.slice(-count);
}

/** A history entry's run id is `<invocation>.<n>`; the invocation groups one `sluice run`. */
function invocationOf(run: string): string {
  return run.split(".")[0] as string;
}

/** The bytes a record's URL deps were fetched as (if the store has them): keeping them spares the next run a download. */
function fetchedDeps(record: RunRecord): Digest[] {
  return Object.values(record.components.deps).flatMap((dep) => (dep.from.startsWith(URL_ORIGIN) && isDigest(dep.digest) ? [dep.digest] : []));
}

/** The objects a record needs: its outputs, its log, and the files listed by directory manifests. */
export async function referencedObjects(cache: CacheSession, record: RunRecord): Promise<Digest[]> {
  const digests = recordDigests(record);
  for (const out of storedOuts(record)) {
    if (out.kind !== "dir") continue;
    try {
      const manifest = JSON.parse(await readFile(cache.store.pathOf(out.digest), "utf8")) as { files: [string, Digest][] };
      for (const [, digest] of manifest.files) digests.push(digest);
    } catch {
      // a missing manifest is reported by verify; nothing more to keep
    }
  }
  return digests;
}
