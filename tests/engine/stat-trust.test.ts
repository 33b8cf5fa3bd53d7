import { closeSync, existsSync, openSync, readdirSync, utimesSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

/** A whole-second time long past: a file stamped with it is never racy, and `touch -d @OLD` puts it back exactly. */
const OLD = 1_577_836_800;

/** Writes `text` over the start of a file in place (same inode, no truncation) and puts its old mtime back. */
function rewriteKeepingMtime(ws: Workspace, path: string, text: string): void {
  const full = join(ws.root, path);
  const fd = openSync(full, "r+");
  writeSync(fd, text, 0);
  closeSync(fd);
  utimesSync(full, OLD, OLD);
}

function recordCount(root: string): number {
  if (!existsSync(join(root, "cache/records"))) return 0;
  return readdirSync(join(root, "cache/records"), { recursive: true }).filter((f) => String(f).endsWith(".json")).length;
}

const THREE_READERS = `import { defineProject, file, source } from "sluice";
export default defineProject("r", (p) => {
  p.stage("a", { deps: { raw: source("raw.txt") }, params: { p: 1 }, outs: { o: file("out/a.txt") }, cmd: "(cat {deps.raw}; echo {params.p}) > {outs.o}" });
  p.stage("b", { deps: { raw: source("raw.txt") }, outs: { o: file("out/b.txt") }, cmd: "cat {deps.raw} > {outs.o}" });
  p.stage("c", { deps: { raw: source("raw.txt") }, outs: { o: file("out/c.txt") }, cmd: "wc -c < {deps.raw} > {outs.o}" });
});
`;

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

describe("stat trust", () => {
  it("reruns the readers of a file rewritten in place with same-length bytes and its old mtime, and never binds a key to other bytes", async () => {
    ws = new Workspace({ "pipeline.ts": THREE_READERS, "raw.txt": "AAAA\n" });
    utimesSync(join(ws.root, "raw.txt"), OLD, OLD);
    expect((await ws.runJson()).ok).toBe(true);
    expect(statuses(await ws.runJson())).toEqual({ "r:a": "cached", "r:b": "cached", "r:c": "cached" });

    rewriteKeepingMtime(ws, "raw.txt", "BBBB\n");
    const rewritten = await ws.runJson();
    expect(statuses(rewritten)).toEqual({ "r:a": "ran", "r:b": "ran", "r:c": "ran" });
    expect(ws.read("out/a.txt")).toBe("BBBB\n1\n");
    expect(ws.read("out/b.txt")).toBe("BBBB\n");

    ws.edit("pipeline.ts", "p: 1", "p: 2");
    expect(statuses(await ws.runJson())).toEqual({ "r:a": "ran", "r:b": "cached", "r:c": "cached" });
    expect(ws.read("out/a.txt")).toBe("BBBB\n2\n");

    // The original bytes again: a's key for (AAAA, p=2) has never run, so it must run and read AAAA.
    rewriteKeepingMtime(ws, "raw.txt", "AAAA\n");
    const reverted = await ws.runJson();
    expect(statuses(reverted)).toEqual({ "r:a": "ran", "r:b": "restored", "r:c": "cached" });
    expect(ws.read("out/a.txt")).toBe("AAAA\n2\n");
    expect(ws.read("out/b.txt")).toBe("AAAA\n");
  });

  it("records nothing for a stage whose source was rewritten with same-length bytes and its old mtime while it ran", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file, source } from "sluice";
export default defineProject("r", (p) => {
  p.stage("slow", { deps: { x: source("input.txt") }, outs: { y: file("y.txt") }, cmd: "cp {deps.x} {outs.y}; printf 'after!\\\\n' 1<> {deps.x}; touch -d @${OLD} {deps.x}" });
});
`,
      "input.txt": "before\n",
    });
    utimesSync(join(ws.root, "input.txt"), OLD, OLD);
    const run = await ws.runJson();
    expect(ws.read("input.txt")).toBe("after!\n");
    expect(run.code).toBe(1);
    expect(run.stages[0]?.reason).toBe('input-changed: input "x" (input.txt) changed while the stage ran; nothing was cached, run again');
    expect(recordCount(ws.root)).toBe(0);
    expect(ws.exists("y.txt")).toBe(false);
  });

  it("records nothing for a stage whose upstream output was rewritten while it ran", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("r", (p) => {
  const up = p.stage("up", { outs: { o: file("up.txt") }, cmd: "echo up > {outs.o}" });
  p.stage("down", { deps: { x: up.outs.o }, outs: { y: file("down.txt") }, cmd: "cp {deps.x} {outs.y}; echo UP > {deps.x}" });
});
`,
    });
    const run = await ws.runJson();
    expect(run.code).toBe(1);
    expect(statuses(run)).toEqual({ "r:up": "ran", "r:down": "failed" });
    expect(run.stages.find((s) => s.id === "r:down")?.reason).toBe(
      'input-changed: input "x" (up.txt) changed while the stage ran; nothing was cached, run again',
    );
    expect(recordCount(ws.root)).toBe(1);
  });

  it("reruns a stage when a param named __proto__ changes", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("r", (p) => {
  p.stage("s", { params: { ["__proto__"]: 1 }, outs: { o: file("o.txt") }, cmd: "echo {params.__proto__} > {outs.o}" });
});
`,
    });
    expect(statuses(await ws.runJson())).toEqual({ "r:s": "ran" });
    ws.edit("pipeline.ts", '["__proto__"]: 1', '["__proto__"]: 2');
    expect(statuses(await ws.runJson())).toEqual({ "r:s": "ran" });
    expect(ws.read("o.txt")).toBe("2\n");
  });
});
