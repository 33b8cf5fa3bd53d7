/**
 * Whole-file writes that a crash cannot tear: write a temp file beside the
 * target, then rename over it. Readers see the old or the new file, never half.
 *
 * Synchronous: the files written this way (run records, sluice.lock, the
 * stat cache) are written once per stage or per run, and each step as a
 * thread-pool round trip waited for a core that compile and GC threads
 * were holding, several milliseconds a step on a two-core machine.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

let counter = 0;

/** How hard a write holds on. */
export interface AtomicWriteOptions {
  /**
   * Also survive a power cut, not only a crash of this process: the temp
   * file is flushed to disk before the rename and the directory after it.
   * For the registry, the record of what was released; the cache rebuilds
   * what it loses, so its writes skip the two flushes.
   */
  readonly durable?: boolean;
}

/** Replaces `path` with `data` atomically (same directory, so the rename cannot cross filesystems). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    if (options.durable) writeFlushed(temp, data);
    else writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (options.durable) flushDirectory(dir);
}

function writeFlushed(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the rename itself durable; a platform that cannot flush a directory (Windows) has nothing to flush. */
function flushDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EINVAL" && code !== "EPERM") throw error;
  } finally {
    closeSync(fd);
  }
}
