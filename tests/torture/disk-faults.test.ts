import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

// Mounting a small tmpfs needs root; CI runs as root. Elsewhere this is skipped, loudly.
const root = process.getuid?.() === 0;
if (!root) console.warn("SKIPPED: disk-fault tests need root to mount a tmpfs");

const FILES = {
  "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("d", (p) => {
  const small = p.stage("small", { outs: { y: file("small.txt") }, cmd: "echo small > {outs.y}" });
  p.stage("big", { deps: { x: small.outs.y }, params: { kib: 64 }, outs: { y: file("big.bin") }, cmd: "head -c {params.kib}K /dev/zero > {outs.y}" });
});
`,
};

let ws: Workspace | undefined;
let mounted: string | undefined;
afterEach(() => {
  if (mounted) execFileSync("umount", ["-l", mounted]);
  mounted = undefined;
  ws?.dispose();
});

function mountTmpfs(path: string, size: string): void {
  mkdirSync(path, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", path]);
  mounted = path;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    try {
      out[f] = readFileSync(join(dir, f)).toString("base64");
    } catch {
      out[f] = "<dir>";
    }
  }
  return out;
}

describe.runIf(root)("disk full and read-only storage", () => {
  it("fails the run with a clear error when the cache's disk is full, and the cache stays as it was", async () => {
    ws = new Workspace(FILES);
    mountTmpfs(join(ws.root, "cache"), "2m");
    expect((await ws.runJson()).code).toBe(0);
    const before = snapshot(join(ws.root, "cache/records"));
    ws.edit("pipeline.ts", "kib: 64", "kib: 4096"); // 4 MiB no longer fits beside the 2 MiB limit
    const run = await ws.runJson();
    expect(run.code).toBe(1);
    const big = run.stages.find((s) => s.id === "d:big");
    expect(big?.status).toBe("failed");
    expect(big?.reason).toMatch(/exit-non-zero|io-error/);
    expect(run.stderr).toMatch(/No space left on device|ENOSPC/);
    expect(snapshot(join(ws.root, "cache/records"))).toEqual(before);
    expect(ws.exists("big.bin")).toBe(false); // a failed stage leaves nothing under its output's name
    expect(ws.read("small.txt")).toBe("small\n");
  });

  it("fails with one message when the cache is read-only, changing nothing", async () => {
    ws = new Workspace(FILES);
    mountTmpfs(join(ws.root, "cache"), "8m");
    expect((await ws.runJson()).code).toBe(0);
    execFileSync("mount", ["-o", "remount,ro", join(ws.root, "cache")]);
    const before = snapshot(join(ws.root, "cache"));
    ws.edit("pipeline.ts", "kib: 64", "kib: 65");
    const out = await ws.run(["run"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/error: cannot take the workspace lock .*cache\/lock: EROFS/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(join(ws.root, "cache"))).toEqual(before);
  });
});
