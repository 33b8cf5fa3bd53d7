/**
 * Whole-file writes that a crash cannot tear: write a temp file beside the
 * target, then rename over it. Readers see the old or the new file, never half.
 *
 * Synchronous: the files written this way (run records, sluice.lock, the
 * stat cache) are written once per stage or per run, and each step as a
 * thread-pool round trip waited for a core that compile and GC threads
 * were holding, several milliseconds a step on a two-core machine.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

let counter = 0;

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
