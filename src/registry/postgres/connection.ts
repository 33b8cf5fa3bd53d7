/**
 * Connections to the registry database: one small pool per URL per
 * process (a run asks the registry many times: alias deps, the promote
 * stage, pins), the schema migrated once per process before the first
 * statement, and every failure to reach the server turned into one clear
 * `RegistryUnavailableError`.
 *
 * The driver is loaded on first use, so a workspace on the file registry
 * never pays for it. Idle pools do not keep a process alive.
 */
import type { Pool, PoolClient } from "pg";
import { explainConnectionError } from "./connection-errors.js";
import { migrate } from "./migrations.js";
import type { RegistryUrl } from "./registry-url.js";

/** How long to wait for a connection before calling the server unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** How long a writer waits for another's advisory lock before giving up (as long as the file registry waits). */
export const LOCK_TIMEOUT_MS = 120_000;

interface SharedPool {
  readonly pool: Pool;
  /** Settles once this process has checked (and if needed migrated) the schema. */
  ready: Promise<void> | undefined;
}

const pools = new Map<string, Promise<SharedPool>>();

/**
 * Runs `work` on one connection of the registry database. The connection
 * is discarded, not reused, after any failure or when `work` calls
 * `discard`: it may still hold a lock or an open transaction, and closing
 * it is what releases them.
 */
export async function withConnection<T>(url: RegistryUrl, work: (client: PoolClient, discard: () => void) => Promise<T>): Promise<T> {
  const shared = await sharedPool(url);
  let client: PoolClient;
  try {
    client = await shared.pool.connect();
  } catch (error) {
    throw explainConnectionError(error, url.display);
  }
  let unusable = false;
  try {
    await migrated(shared, client, url);
    return await work(client, () => (unusable = true));
  } catch (error) {
    unusable = true;
    throw explainConnectionError(error, url.display);
  } finally {
    client.release(unusable);
  }
}

function sharedPool(url: RegistryUrl): Promise<SharedPool> {
  let shared = pools.get(url.connectionString);
  if (!shared) {
    shared = import("pg").then(({ default: pg }) => {
      const pool = new pg.Pool({
        connectionString: url.connectionString,
        // A CLI process needs one connection for its transaction and one for a read.
        max: 4,
        allowExitOnIdle: true,
        idleTimeoutMillis: 5_000,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        lock_timeout: LOCK_TIMEOUT_MS,
        // Shown in pg_stat_activity, and in the busy message of a writer waiting on this one.
        application_name: applicationName(),
      });
      // A server restart kills idle connections; the next use reports it, not an unhandled event.
      pool.on("error", () => undefined);
      return { pool, ready: undefined };
    });
    pools.set(url.connectionString, shared);
  }
  return shared;
}

async function migrated(shared: SharedPool, client: PoolClient, url: RegistryUrl): Promise<void> {
  if (!shared.ready) {
    shared.ready = migrate(client, url.display).then(() => undefined);
    // A failed attempt (server down, no privilege) is retried by the next use, not remembered.
    shared.ready.catch(() => (shared.ready = undefined));
  }
  await shared.ready;
}

/**
 * `sluice pid 4242: promote eta`: the command, never its options, which
 * may carry a URL with a password (`registry import --to`).
 */
function applicationName(): string {
  const words = process.argv.slice(2).filter((a) => !a.startsWith("-") && !a.includes(":"));
  return `sluice pid ${process.pid}: ${words.slice(0, 3).join(" ")}`.trim().slice(0, 63);
}
