/** Public surface of `cache/`: digests, the object store, the stat cache, keys, records, history. */
export { CodeIdentities, type CodeIdentity } from "./code-identity.js";
export { digestBytes, digestFile, digestSize, digestString, hashString, isDigest, type Digest } from "./digest.js";
export { cacheLayout, type CacheLayout } from "./layout.js";
export { lockedComponents, readLockFile, renderLockFile, writeLockFile, type LockedOut, type LockedStage, type LockFile } from "./lock-file.js";
export { ObjectStore, type ObjectProblem } from "./object-store.js";
export { probe, resetProbes } from "./probes.js";
export { appendHistory, readHistory, type HistoryEntry } from "./run-history.js";
export { recordDigests, RunRecords, storedOuts, type RecordedOut, type RecordProblem, type RunRecord } from "./run-record.js";
export type { RecordedHit } from "./record-index.js";
export { depOrigin, externalDigest, stageComponents } from "./stage-components.js";
export { KEY_FORMAT, parseStageKey, stageKey, type DepComponent, type KeyComponents, type StageKey } from "./stage-key.js";
export { StatCache, type UnfollowedLink } from "./stat-cache.js";
export { directoryManifest, manifestEntry, manifestNameProblem, parseDirManifest, type DirListing, type ManifestEntry } from "./dir-manifest.js";
export { recordOutputsMismatch } from "./record-shape.js";
export { openCache, saveSession, type CacheSession } from "./cache-session.js";
export { collectGarbage, referencedObjects, type GcOptions, type GcReport } from "./gc.js";
export type { RemoteCache } from "./remote-cache.js";
// The HTTP remote itself is imported from `remote/` only when one is configured.
export type { HttpRemoteCache } from "./remote/index.js";
export { verifyCache, type CacheProblem, type CacheVerdict } from "./verify-cache.js";
