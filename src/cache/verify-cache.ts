/**
 * Checks the cache the way a careful reader would: every object hashes to
 * its name, and every run record parses and names objects that exist
 * (directory manifests included). Reports problems; repairs nothing, since
 * a bad entry is already treated as a miss at use time and rebuilt.
 */
import { digestFile, isDigest, type Digest } from "./digest.js";
import type { CacheSession } from "./cache-session.js";
import { referencedObjects } from "./gc.js";

export type CacheProblem =
  | { readonly kind: "corrupt-object"; readonly digest: Digest; readonly actual: Digest }
  | { readonly kind: "corrupt-record"; readonly key: string; readonly detail: string }
  | { readonly kind: "missing-object"; readonly key: string; readonly stage: string; readonly digest: Digest };

export interface CacheVerdict {
  readonly ok: boolean;
  readonly objects: number;
  readonly records: number;
  readonly problems: readonly CacheProblem[];
}

export async function verifyCache(cache: CacheSession): Promise<CacheVerdict> {
  const problems: CacheProblem[] = [];
  const objects = await cache.store.list();
  const present = new Set<string>(objects);
  for (const digest of objects) {
    const actual = await digestFile(cache.store.pathOf(digest));
    if (actual !== digest) problems.push({ kind: "corrupt-object", digest, actual });
  }
  const keys = await cache.records.keys();
  for (const key of keys) {
    const { record, problem } = await cache.records.get(key);
    if (problem) problems.push({ kind: "corrupt-record", key, detail: problem.detail });
    if (!record) continue;
    for (const digest of await referencedObjects(cache, record)) {
      if (!isDigest(digest) || !present.has(digest)) problems.push({ kind: "missing-object", key, stage: record.stage, digest });
    }
  }
  return { ok: problems.length === 0, objects: objects.length, records: keys.length, problems };
}
