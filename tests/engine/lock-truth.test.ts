/**
 * sluice.lock is the declared state: only a run of the declared pipeline
 * writes it, `status --locked` checks keys and present outputs against it
 * (in a clone without cache or data too), and `status` and `run` name what
 * they find in the workspace honestly.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

const PIPELINE = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`;

// a (cmd, param p) -> b (cmd);  c (run, its own module) reads raw.txt.
const PROJECT = `import { defineProject, file, source } from "sluice";
import { countLines } from "./count.js";
export default defineProject("p", (p) => {
  const a = p.stage("a", {
    deps: { raw: source("raw.txt") },
    params: { p: 1 },
    outs: { o: file("data/a.txt") },
    cmd: "(cat {deps.raw}; echo {params.p}) > {outs.o}",
  });
  p.stage("b", {
    deps: { a: a.outs.o },
    outs: { o: file("data/b.txt") },
    cmd: "tr a-z A-Z < {deps.a} > {outs.o}",
  });
  p.stage("c", {
    deps: { raw: source("raw.txt") },
    outs: { o: file("data/c.txt") },
    run: countLines,
  });
});
`;

const COUNT = `import { readFileSync, writeFileSync } from "node:fs";
export function countLines(ctx: { deps: { raw: string }; outs: { o: string } }): void {
  writeFileSync(ctx.outs.o, String(readFileSync(ctx.deps.raw, "utf8").split("\\n").length) + "\\n");
}
`;

const FILES = {
  "pipeline.ts": PIPELINE,
  "projects/p/pipeline.ts": PROJECT,
  "projects/p/count.ts": COUNT,
  "projects/p/raw.txt": "alpha\nbeta\n",
};

interface LockCheckJson {
  readonly id: string;
  readonly drift: string[];
  readonly missing: string[];
}

interface StatusJson {
  readonly ok: boolean;
  readonly stages: { id: string; state: string; why: string[]; outputs?: { path: string; state: string }[] }[];
  readonly lockDrift?: string[];
  readonly locked?: LockCheckJson[];
}

async function status(ws: Workspace, args: readonly string[] = []): Promise<StatusJson & { code: number | null }> {
  const out = await ws.run(["status", "--json", ...args]);
  return { ...(JSON.parse(out.stdout) as StatusJson), code: out.code };
}

function states(json: StatusJson): Record<string, string> {
  return Object.fromEntries(json.stages.map((s) => [s.id, s.state]));
}

describe("sluice.lock is the declared state", () => {
  let ws: Workspace;
  let declaredLock: string;
  beforeAll(async () => {
    ws = new Workspace(FILES);
    expect((await ws.runJson()).code).toBe(0);
    declaredLock = ws.read("sluice.lock");
  });
  afterAll(() => ws.dispose());

  it("a --set run leaves sluice.lock as the declared run wrote it and keeps the variant in the run history", async () => {
    const variant = await ws.runJson(["--set", "p:a.p=5"]);
    expect(statuses(variant)).toMatchObject({ "p:a": "ran", "p:b": "ran", "p:c": "cached" });
    expect(ws.read("projects/p/data/a.txt")).toBe("alpha\nbeta\n5\n");
    expect(ws.read("sluice.lock")).toBe(declaredLock);
    const runs = JSON.parse((await ws.run(["runs", "p:a", "--json"])).stdout) as { runs: { params: { p: number } }[] };
    expect(runs.runs.map((r) => r.params.p)).toEqual([1, 5]);
  });

  it("status calls the variant's outputs modified, not missing, and status --locked fails on them", async () => {
    const plain = await status(ws);
    expect(states(plain)).toEqual({ "p:a": "modified", "p:b": "modified", "p:c": "fresh" });
    expect(plain.stages.find((s) => s.id === "p:a")?.outputs).toEqual([{ path: "projects/p/data/a.txt", state: "modified" }]);
    const locked = await status(ws, ["--locked"]);
    expect(locked.code).toBe(1);
    expect(locked.lockDrift?.map((d) => d.replace(/ \(sluice\.lock has .*\)$/, ""))).toEqual([
      "p:a: projects/p/data/a.txt modified",
      "p:b: projects/p/data/b.txt modified",
    ]);
  });

  it("the declared run restores over the variant's outputs and says so, and the lock keeps its bytes", async () => {
    const back = await ws.runJson();
    expect(statuses(back)).toMatchObject({ "p:a": "restored", "p:b": "restored" });
    expect(back.stages.find((s) => s.id === "p:a")?.why).toEqual(["restored projects/p/data/a.txt over the output of another run"]);
    expect(ws.read("projects/p/data/a.txt")).toBe("alpha\nbeta\n1\n");
    expect(ws.read("sluice.lock")).toBe(declaredLock);
    expect((await ws.run(["status", "--locked"])).code).toBe(0);
  });

  it("a --set equal to the declared value is the declared pipeline", async () => {
    rmSync(join(ws.root, "sluice.lock"));
    expect((await ws.runJson(["--set", "p:a.p=1"])).code).toBe(0);
    expect(ws.read("sluice.lock")).toBe(declaredLock);
  });
});

describe("honest labels", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = new Workspace(FILES);
    expect((await ws.runJson()).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  it("status says missing for an absent output and modified for a hand-edited one", async () => {
    rmSync(join(ws.root, "projects/p/data/a.txt"));
    ws.write("projects/p/data/c.txt", "edited by hand\n");
    const json = await status(ws);
    expect(states(json)).toEqual({ "p:a": "missing", "p:b": "fresh", "p:c": "modified" });
    const text = (await ws.run(["status"])).stdout;
    expect(text).toMatch(/p:a\s+missing \(projects\/p\/data\/a\.txt\)/);
    expect(text).toMatch(/p:c\s+modified \(projects\/p\/data\/c\.txt\)/);
  });

  it("run says what it overwrote when it restores over a hand edit", async () => {
    const run = await ws.run(["run"]);
    expect(run.stderr).toContain("restored projects/p/data/c.txt over a local edit");
    expect(run.stderr).not.toContain("restored projects/p/data/a.txt over");
    expect(ws.read("projects/p/data/c.txt")).toBe("3\n");
  });

  it("status says stale with the reason for a changed declaration", async () => {
    ws.edit("projects/p/pipeline.ts", "p: 1", "p: 2");
    const text = (await ws.run(["status"])).stdout;
    expect(text).toMatch(/p:a\s+stale \(params\.p 1 -> 2\)/);
    expect(states(await status(ws))).toEqual({ "p:a": "stale", "p:b": "stale", "p:c": "fresh" });
    ws.edit("projects/p/pipeline.ts", "p: 2", "p: 1");
  });
});

describe("status --locked", () => {
  let built: Workspace;
  let clone: Workspace;
  beforeAll(async () => {
    built = new Workspace(FILES);
    expect((await built.runJson()).code).toBe(0);
    // A clone: the committed files and sluice.lock, no cache, no outputs.
    clone = new Workspace({ ...FILES, "sluice.lock": built.read("sluice.lock") });
  });
  afterAll(() => {
    built.dispose();
    clone.dispose();
  });

  it("passes in a clone without cache or outputs when everything matches, listing the outputs as missing", async () => {
    const json = await status(clone, ["--locked"]);
    expect(json.code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.lockDrift).toEqual([]);
    expect(json.locked).toEqual([
      { id: "p:a", drift: [], missing: ["projects/p/data/a.txt"] },
      { id: "p:b", drift: [], missing: ["projects/p/data/b.txt"] },
      { id: "p:c", drift: [], missing: ["projects/p/data/c.txt"] },
    ]);
    const text = await clone.run(["status", "--locked"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("3 locked outputs missing from the workspace");
    expect(text.stdout).toContain("sluice.lock matches the declared pipeline");
  });

  it("fails in a clone naming the stage and the param that differs", async () => {
    clone.edit("projects/p/pipeline.ts", "p: 1", "p: 5");
    const json = await status(clone, ["--locked"]);
    expect(json.code).toBe(1);
    // b's key is computed from the lock's digest of a's absent output: a's drift is reported once, at a.
    expect(json.lockDrift).toEqual(["p:a: params.p 1 -> 5"]);
    const text = await clone.run(["status", "--locked"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("lock drift: p:a: params.p 1 -> 5");
    clone.edit("projects/p/pipeline.ts", "p: 5", "p: 1");
  });

  it("fails in a clone naming a changed source and changed code", async () => {
    clone.write("projects/p/raw.txt", "alpha\ngamma\n");
    clone.edit("projects/p/count.ts", '"\\n").length', '"\\n").length + 1');
    const json = await status(clone, ["--locked"]);
    expect(json.code).toBe(1);
    expect(json.lockDrift).toEqual([
      "p:a: source projects/p/raw.txt changed",
      "p:c: source projects/p/raw.txt changed",
      "p:c: code projects/p/count.ts changed",
    ]);
    clone.write("projects/p/raw.txt", FILES["projects/p/raw.txt"]);
    clone.write("projects/p/count.ts", COUNT);
    expect((await clone.run(["status", "--locked"])).code).toBe(0);
  });

  it("fails where outputs are present and a param was edited without rerunning", async () => {
    built.edit("projects/p/pipeline.ts", "p: 1", "p: 3");
    const json = await status(built, ["--locked"]);
    expect(json.code).toBe(1);
    expect(json.lockDrift).toEqual(["p:a: params.p 1 -> 3"]);
    built.edit("projects/p/pipeline.ts", "p: 3", "p: 1");
    expect((await status(built, ["--locked"])).code).toBe(0);
  });

  it("after a run in the clone, the lock is unchanged and nothing is missing", async () => {
    expect((await clone.runJson()).code).toBe(0);
    expect(clone.read("sluice.lock")).toBe(built.read("sluice.lock"));
    const json = await status(clone, ["--locked"]);
    expect(json.code).toBe(0);
    expect(json.locked?.every((c) => c.missing.length === 0 && c.drift.length === 0)).toBe(true);
  });
});
