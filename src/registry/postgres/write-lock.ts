/**
 * The registry's write lock: a session-level advisory lock, so it
 * outlives the transaction and still covers the alias files written after
 * COMMIT. A writer that dies drops its connection and with it the lock;
 * one that waits longer than the lock timeout gets `RegistryBusyError`
 * naming the holder.
 */
import type { ClientBase } from "pg";
import { RegistryBusyError } from "../backend.js";
import { LOCK_NAMESPACE, WRITE_LOCK } from "./advisory-locks.js";

/** SQLSTATE lock_not_available: the lock timeout expired. */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * Runs `work` holding the write lock. `discard` is called when the lock
 * could not be released cleanly, so the connection is closed (which
 * releases it) instead of going back to the pool still holding it.
 */
export async function withWriteLock<T>(client: ClientBase, display: string, discard: () => void, work: () => Promise<T>): Promise<T> {
  try {
    await client.query("SELECT pg_advisory_lock($1, $2)", [LOCK_NAMESPACE, WRITE_LOCK]);
  } catch (error) {
    if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
    throw new RegistryBusyError(`${display}, advisory lock ${LOCK_NAMESPACE}/${WRITE_LOCK}`, await lockHolder(client));
  }
  try {
    return await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_NAMESPACE, WRITE_LOCK]).catch(discard);
  }
}

/** Who holds the write lock, as its application name says (every sluice process names itself). */
async function lockHolder(client: ClientBase): Promise<string> {
  const found = await client
    .query<{ pid: number; application_name: string }>(
      `SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2`,
      [LOCK_NAMESPACE, WRITE_LOCK],
    )
    .catch(() => undefined);
  const row = found?.rows[0];
  if (!row) return "another process";
  return row.application_name ? `${row.application_name} (server pid ${row.pid})` : `server pid ${row.pid}`;
}
