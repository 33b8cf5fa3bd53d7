/**
 * A shared cache beyond this machine (issue: team scale). The engine only
 * knows this interface: on a local miss it asks the remote for the record
 * and its objects; after a stage runs it offers the record and its objects.
 * Implementations live in `cache/remote/` and must never fail a build: a
 * remote that is down, slow or serving bad bytes is a miss, with a warning.
 */
import type { StageOut } from "../pipeline/index.js";
import type { CacheSession } from "./cache-session.js";
import type { RunRecord } from "./run-record.js";
import type { StageKey } from "./stage-key.js";

export interface RemoteCache {
  /** A short description for messages ("http://127.0.0.1:9090/cache (read-only)"). */
  readonly label: string;
  /**
   * Looks up `key`; on a hit whose outputs are exactly `declared` (names,
   * kinds, paths) downloads the objects those outputs and the log name into
   * the local store (each bounded and verified against its digest) and
   * writes the record locally, then returns it. Undefined on a miss or any
   * failure; a record that does not fit the declaration downloads nothing.
   */
  fetch(key: StageKey, declared: readonly StageOut[], local: CacheSession, warn: (message: string) => void): Promise<RunRecord | undefined>;
  /** Uploads the record's objects first and the record last. Never throws. */
  publish(record: RunRecord, local: CacheSession, warn: (message: string) => void): Promise<void>;
}
