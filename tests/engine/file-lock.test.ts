import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireLock } from "../../src/util/file-lock.js";

const dir = mkdtempSync(join(tmpdir(), "sluice-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the workspace lock", () => {
  it("breaks a lock left by a dead process at once", async () => {
    const path = join(dir, "dead");
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import("node:os")).hostname(), since: "then", command: "run" }));
    const lock = await acquireLock(path, { wait: false });
    expect(lock.ok).toBe(true);
    if (lock.ok) await lock.lock.release();
  });

  it("breaks a torn lock file (created, never written) once it is a second old", async () => {
    const path = join(dir, "torn");
    writeFileSync(path, "");
    expect((await acquireLock(path, { wait: false })).ok).toBe(false); // fresh: its creator may be writing it now
    const lock = await acquireLock(path, { wait: true, timeoutMs: 5_000 });
    expect(lock.ok).toBe(true);
    if (lock.ok) await lock.lock.release();
  });

  it("waits for a live holder and reports it", async () => {
    const path = join(dir, "live");
    const first = await acquireLock(path, { wait: false });
    expect(first.ok).toBe(true);
    let told = false;
    const second = await acquireLock(path, { wait: true, timeoutMs: 300, onWait: () => (told = true) });
    expect(second.ok).toBe(false);
    expect(told).toBe(true);
    if (first.ok) await first.lock.release();
  });
});
