import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withStatus, Workspace } from "../rig.js";

// Hits are served from cache/record-index.json while each record file is
// unchanged; these tests change the files behind the index's back.
const FILES = {
  "pipeline.ts": `import { defineProject, file, source } from "sluice";
export default defineProject("r", (p) => {
  const a = p.stage("a", { deps: { x: source("in.txt") }, params: { n: 1 }, outs: { y: file("a.txt") }, cmd: "cat {deps.x} > {outs.y}; echo {params.n} >> {outs.y}" });
  p.stage("b", { deps: { x: a.outs.y }, outs: { y: file("b.txt") }, cmd: "tr a-z A-Z < {deps.x} > {outs.y}" });
  p.stage("c", { outs: { y: file("c.txt") }, cmd: "echo c > {outs.y}" });
});
`,
  "in.txt": "hello\n",
};

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

function lockedKeys(w: Workspace): Record<string, string> {
  const lock = JSON.parse(w.read("sluice.lock")) as { stages: Record<string, { key: string }> };
  return Object.fromEntries(Object.entries(lock.stages).map(([id, s]) => [id, s.key]));
}

function recordPath(w: Workspace, key: string): string {
  return join(w.root, "cache/records", key.slice(0, 2), `${key}.json`);
}

function indexedKeys(w: Workspace): string[] {
  return Object.keys((JSON.parse(w.read("cache/record-index.json")) as { entries: object }).entries).sort();
}

describe("the run-record index", () => {
  it("holds exactly the records the last run used", async () => {
    ws = new Workspace(FILES);
    expect((await ws.runJson()).code).toBe(0);
    expect(indexedKeys(ws)).toEqual(Object.values(lockedKeys(ws)).sort());
    ws.edit("pipeline.ts", "n: 1", "n: 2");
    const run = await ws.runJson();
    expect(withStatus(run, "ran")).toEqual(["r:a", "r:b"]);
    expect(indexedKeys(ws)).toEqual(Object.values(lockedKeys(ws)).sort()); // the n: 1 keys are gone from it
  });

  it("treats a record deleted behind its back as a miss", async () => {
    ws = new Workspace(FILES);
    await ws.runJson();
    rmSync(recordPath(ws, lockedKeys(ws)["r:c"] as string));
    rmSync(join(ws.root, "c.txt"));
    const run = await ws.runJson();
    expect(withStatus(run, "ran")).toEqual(["r:c"]);
    expect(withStatus(run, "cached")).toEqual(["r:a", "r:b"]);
  });

  it("reads a record again when its file changed, even at the same size, and reports it damaged", async () => {
    ws = new Workspace(FILES);
    await ws.runJson();
    const key = lockedKeys(ws)["r:b"] as string;
    const path = recordPath(ws, key);
    const size = statSync(path).size;
    writeFileSync(path, "x".repeat(size));
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(withStatus(run, "ran")).toEqual(["r:b"]);
    expect(run.stderr).toContain(`run record ${key} is corrupt`);
    expect(JSON.parse(readFileSync(path, "utf8")).key).toBe(key); // rewritten whole by the rerun
  });

  it("ignores a damaged index: every record is read from its file and the index is written again", async () => {
    ws = new Workspace(FILES);
    await ws.runJson();
    ws.write("cache/record-index.json", '{"version":1,"entries":{"trunc');
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(withStatus(run, "cached")).toEqual(["r:a", "r:b", "r:c"]);
    expect(run.stderr).not.toMatch(/corrupt|warning/);
    expect(indexedKeys(ws)).toEqual(Object.values(lockedKeys(ws)).sort());
  });
});
