/**
 * An exclusive lock between processes on one machine: a file holding the
 * owner's pid, linked into place whole (the link fails while another holds
 * it). A lock whose owner is no longer alive is broken at once, so a run
 * after a SIGKILL never waits for a timeout (the reason this is not
 * proper-lockfile, whose staleness is an mtime age).
 *
 * The file operations are synchronous. Taken asynchronously, each of the
 * half dozen steps was a thread-pool round trip, and right after a big
 * pipeline has loaded those wait for a core that compile and GC threads
 * hold: ~15 ms per lock on two cores, against ~1 ms now.
 */
import { hostname } from "node:os";
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
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
  mkdirSync(dirname(path), { recursive: true });
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
    if (tryCreate(path, me)) return { ok: true, lock: holder(path) };
    const owner = readOwner(path);
    if (owner && !isAlive(owner)) {
      breakStale(path, owner);
      continue;
    }
    if (!owner && unreadableFor(path) > TORN_MS) {
      // Created but never written: its creator was killed between the two steps.
      breakTorn(path);
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
function tryCreate(path: string, me: LockOwner): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${attempt++}.new`);
  writeFileSync(temp, JSON.stringify(me));
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") return tryCreateInPlace(path, me); // no hard links here
    throw error;
  } finally {
    unlinkQuietly(temp);
  }
}

/** Create-then-write, for file systems without hard links; the torn-lock rule below covers its gap. */
function tryCreateInPlace(path: string, me: LockOwner): boolean {
  try {
    writeFileSync(path, JSON.stringify(me), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockOwner;
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
function breakStale(path: string, stale: LockOwner): void {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  if (!renameQuietly(path, aside)) return; // someone else broke it first
  const moved = readOwner(aside);
  if (moved && (moved.pid !== stale.pid || moved.since !== stale.since)) {
    renameQuietly(aside, path);
    return;
  }
  unlinkQuietly(aside);
}

/**
 * A lock file with no owner for this long was torn by a killed creator. Only
 * the create-then-write fallback (or another tool) can leave one empty.
 */
const TORN_MS = 1_000;

/** How long an ownerless lock file has existed, in ms (0 when it is gone). */
function unreadableFor(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  return info ? Date.now() - info.mtimeMs : 0;
}

/** Removes a torn lock file, unless a live owner has written it meanwhile. */
function breakTorn(path: string): void {
  const aside = `${path}.torn-${process.pid}-${Date.now()}`;
  if (!renameQuietly(path, aside)) return;
  if (readOwner(aside)) renameQuietly(aside, path);
  else unlinkQuietly(aside);
}

function holder(path: string): HeldLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      unlinkQuietly(path);
    },
  };
}

/** False when the rename failed (the file is gone, or another process moved it first). */
function renameQuietly(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch {
    return false;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
