/**
 * A folder is more than its files' bytes: which files may be run, and which
 * folders hold nothing. A restored directory output gives both back as the
 * stage made them, and a source folder's key sees both change.
 */
import { chmodSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

const PIPELINE = `import { defineProject, dir, file, source } from "sluice";
export default defineProject("t", (p) => {
  const tools = p.stage("tools", {
    outs: { o: dir("out/tools") },
    // Two files of the same bytes, one executable: the store holds one object for both.
    cmd: "mkdir -p {outs.o}/logs/empty && printf '#!/bin/sh\\\\necho ran\\\\n' > {outs.o}/run.sh && chmod +x {outs.o}/run.sh && printf '#!/bin/sh\\\\necho ran\\\\n' > {outs.o}/copy.txt",
  });
  p.stage("use", { deps: { t: tools.outs.o }, outs: { o: file("out/used.txt") }, cmd: "{deps.t}/run.sh > {outs.o} && test -d {deps.t}/logs/empty" });
  p.stage("list", { deps: { d: source("data") }, outs: { o: file("out/listing.txt") }, cmd: "cd {deps.d} && find . | sort > ../out/listing.txt" });
});
`;

const executable = (path: string) => (statSync(path).mode & 0o111) !== 0;

describe("directory fidelity", () => {
  it("restores a directory output with its executable files and empty folders, and a downstream stage runs against it", async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE, "data/a.txt": "a\n" });
    expect(statuses(await ws.runJson())).toEqual({ "t:list": "ran", "t:tools": "ran", "t:use": "ran" });
    rmSync(join(ws.root, "out/tools"), { recursive: true });
    expect(statuses(await ws.runJson())).toEqual({ "t:list": "cached", "t:tools": "restored", "t:use": "cached" });
    expect(executable(join(ws.root, "out/tools/run.sh"))).toBe(true);
    expect(executable(join(ws.root, "out/tools/copy.txt"))).toBe(false);
    expect(statSync(join(ws.root, "out/tools/logs/empty")).isDirectory()).toBe(true);
    expect(JSON.parse((await ws.run(["status", "--json"])).stdout)).toMatchObject({ stages: expect.arrayContaining([expect.objectContaining({ id: "t:tools", state: "fresh" })]) });
    // The downstream stage, forced, runs the restored tool.
    expect(statuses(await ws.runJson(["--force", "t:use"]))).toMatchObject({ "t:use": "ran" });
    expect(ws.read("out/used.txt")).toBe("ran\n");
  });

  it("tells a directory output that lost its executable bit or an empty folder from the one recorded", async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE, "data/a.txt": "a\n" });
    expect((await ws.runJson()).code).toBe(0);
    chmodSync(join(ws.root, "out/tools/run.sh"), 0o644);
    expect(statuses(await ws.runJson())).toMatchObject({ "t:tools": "restored" });
    expect(executable(join(ws.root, "out/tools/run.sh"))).toBe(true);
    rmSync(join(ws.root, "out/tools/logs/empty"), { recursive: true });
    expect(statuses(await ws.runJson())).toMatchObject({ "t:tools": "restored" });
    expect(statSync(join(ws.root, "out/tools/logs/empty")).isDirectory()).toBe(true);
  });

  it("reruns a stage reading a source folder when a folder appears in it empty, or a file in it becomes executable", async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE, "data/a.txt": "a\n" });
    expect((await ws.runJson()).code).toBe(0);
    mkdirSync(join(ws.root, "data/sub"));
    expect(statuses(await ws.runJson())).toMatchObject({ "t:list": "ran" });
    expect(ws.read("out/listing.txt")).toBe(".\n./a.txt\n./sub\n");
    chmodSync(join(ws.root, "data/a.txt"), 0o755);
    expect(statuses(await ws.runJson())).toMatchObject({ "t:list": "ran" });
  });
});
