/**
 * The lock behind "one writer per workspace" (and per registry) must never
 * be seen empty: a waiting process takes an empty lock file older than a
 * second for one torn by a killed creator and breaks it, so a creator that
 * a loaded machine stalls between creating and writing the file would lose
 * its lock to a second writer. A watcher thread reads the lock file as fast
 * as it can while the lock is taken and released over and over.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { acquireLock } from "../../src/util/file-lock.js";

const dir = mkdtempSync(join(tmpdir(), "sluice-lock-atomicity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CYCLES = 1500;

describe("the lock file", () => {
  it("is never seen empty while it is taken and released, unlike a create-then-write lock", async () => {
    // Control: the create-then-write protocol does show an empty file, so the watcher can see one.
    const control = join(dir, "control");
    const stopControl = new SharedArrayBuffer(4);
    const controlWatcher = watcher(control, stopControl);
    for (let i = 0; i < CYCLES; i++) {
      const handle = await open(control, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid }));
      await handle.close();
      await unlink(control);
    }
    const controlEmpty = await controlWatcher.stop();

    const path = join(dir, "lock");
    const stop = new SharedArrayBuffer(4);
    const lockWatcher = watcher(path, stop);
    for (let i = 0; i < CYCLES; i++) {
      const held = await acquireLock(path, { wait: false });
      expect(held.ok).toBe(true);
      if (held.ok) await held.lock.release();
    }
    const lockEmpty = await lockWatcher.stop();

    expect(controlEmpty, "the watcher never caught the control's empty window").toBeGreaterThan(0);
    expect(lockEmpty).toBe(0);
  }, 60_000);
});

/** A watcher thread stopped through a shared flag (the thread never yields to receive messages). */
function watcher(path: string, stopBuffer: SharedArrayBuffer): { stop(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const { readFileSync } = require("node:fs");
     const flag = new Int32Array(workerData.stop);
     let empty = 0;
     while (Atomics.load(flag, 0) === 0) {
       try { if (readFileSync(workerData.path).length === 0) empty++; } catch {}
     }
     parentPort.postMessage(empty);`,
    { eval: true, workerData: { path, stop: stopBuffer } },
  );
  const result = new Promise<number>((resolve) => worker.once("message", resolve));
  return {
    async stop() {
      Atomics.store(new Int32Array(stopBuffer), 0, 1);
      return result;
    },
  };
}
