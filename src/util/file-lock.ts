/**
 * An exclusive lock between processes on one machine: a file holding the
 * owner's pid, linked into place whole (the link fails while another holds
 * it). A lock whose owner is no longer alive is broken at once, so a run
 * after a SIGKILL never waits for a timeout (the reason this is not
 * proper-lockfile, whose staleness is an mtime age).
 */
import { hostname } from "node:os";
import { link, mkdir, open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { threadId } from "node:worker_threads";

/** Who holds a lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly command: string;
}

/** A held lock; `release` is idempotent. */
export interface HeldLock {
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Give up at once when the lock is held (`--no-wait`). */
  readonly wait: boolean;
  /** Called once when the lock is found held and we start waiting. */
  readonly onWait?: (owner: LockOwner | undefined) => void;
  /** Stop waiting after this long; undefined waits forever. */
  readonly timeoutMs?: number;
  /** What to record as the holder's command line. */
  readonly command?: string;
}

export type AcquireResult = { readonly ok: true; readonly lock: HeldLock } | { readonly ok: false; readonly owner: LockOwner | undefined };

/** Takes the lock at `path`, waiting (with a backoff up to 50 ms) while another live process holds it. */
export async function acquireLock(path: string, options: AcquireOptions): Promise<AcquireResult> {
  await mkdir(dirname(path), { recursive: true });
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: options.command ?? process.argv.slice(2).join(" "),
  };
  const started = Date.now();
  let told = false;
  let delay = 2;
  for (;;) {
    if (await tryCreate(path, me)) return { ok: true, lock: holder(path) };
    const owner = await readOwner(path);
    if (owner && !isAlive(owner)) {
      await breakStale(path, owner);
      continue;
    }
    if (!owner && (await unreadableFor(path)) > TORN_MS) {
      // Created but never written: its creator was killed between the two steps.
      await breakTorn(path);
      continue;
    }
    if (!options.wait || (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs)) {
      return { ok: false, owner };
    }
    if (!told) {
      told = true;
      options.onWait?.(owner);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
}

/** Runs `body` while holding the lock, waiting as long as it takes. */
export async function withLock<T>(path: string, body: () => Promise<T>): Promise<T> {
  const acquired = await acquireLock(path, { wait: true });
  if (!acquired.ok) throw new Error(`could not lock ${path}`);
  try {
    return await body();
  } finally {
    await acquired.lock.release();
  }
}

let attempt = 0;

/**
 * Creates the lock holding `me`. The owner is written whole under a private
 * name first and then linked into place (link fails when the lock exists),
 * so the lock is never seen empty: a creator slowed down between creating
 * and writing it (a loaded machine, a busy thread pool) can no longer be
 * taken for a killed one and have its lock broken under it.
 */
async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${attempt++}.new`);
  await writeFile(temp, JSON.stringify(me));
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") return tryCreateInPlace(path, me); // no hard links here
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Create-then-write, for file systems without hard links; the torn-lock rule below covers its gap. */
async function tryCreateInPlace(path: string, me: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, "wx");
    await handle.writeFile(JSON.stringify(me));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockOwner;
  } catch {
    return undefined; // being written or just released
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell; assume it is
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Moves the stale lock aside and checks that what was moved is the lock we
 * judged dead; if a live process took the lock in between, it is put back.
 */
async function breakStale(path: string, stale: LockOwner): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = await readOwner(aside);
  if (moved && (moved.pid !== stale.pid || moved.since !== stale.since)) {
    await rename(aside, path).catch(() => undefined);
    return;
  }
  await unlink(aside).catch(() => undefined);
}

/**
 * A lock file with no owner for this long was torn by a killed creator. Only
 * the create-then-write fallback (or another tool) can leave one empty.
 */
const TORN_MS = 1_000;

/** How long an ownerless lock file has existed, in ms (0 when it is gone). */
async function unreadableFor(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Removes a torn lock file, unless a live owner has written it meanwhile. */
async function breakTorn(path: string): Promise<void> {
  const aside = `${path}.torn-${process.pid}-${Date.now()}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readOwner(aside);
  if (moved) await rename(aside, path).catch(() => undefined);
  else await unlink(aside).catch(() => undefined);
}

function holder(path: string): HeldLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await unlink(path).catch(() => undefined);
    },
  };
}
