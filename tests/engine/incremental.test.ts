import { utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { statuses, withStatus, Workspace } from "../rig.js";

const ALL = ["demo:clean", "demo:features", "demo:ingest", "demo:other", "demo:report", "demo:stats"];

// One workspace walked through the incremental story, step by step; each
// step depends on the state the previous one left.
describe("incremental runs", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace(demoFiles());
  });
  afterAll(() => ws.dispose());

  it("runs every stage on the first run", async () => {
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(run.ok).toBe(true);
    expect(withStatus(run, "ran")).toEqual(ALL);
    expect(ws.read("projects/demo/out/report.txt")).toBe("6\n10\n" + JSON.stringify({ rows: 2, mean: 4 }, null, 2) + "\n");
    expect(ws.count("ingest")).toBe(1);
  });

  it("is all cached on a second run and runs no command", async () => {
    const run = await ws.runJson();
    expect(withStatus(run, "cached")).toEqual(ALL);
    expect(ws.count("ingest")).toBe(1);
    expect(ws.count("report")).toBe(1);
  });

  it("reruns exactly the stage whose param changed and its downstream", async () => {
    ws.edit("projects/demo/pipeline.ts", "factor: 2", "factor: 3");
    const run = await ws.runJson();
    expect(withStatus(run, "ran")).toEqual(["demo:features", "demo:report"]);
    expect(withStatus(run, "cached")).toEqual(["demo:clean", "demo:ingest", "demo:other", "demo:stats"]);
    expect(ws.read("projects/demo/data/features.csv")).toBe("9\n15\n");
  });

  it("reruns nothing when a dep is touched without changing its bytes", async () => {
    const future = new Date(Date.now() + 5_000);
    utimesSync(join(ws.root, "projects/demo/raw.csv"), future, future);
    const run = await ws.runJson();
    expect(withStatus(run, "cached")).toEqual(ALL);
    expect(ws.count("ingest")).toBe(1);
  });

  it("restores a deleted output from the store without running the stage", async () => {
    const before = ws.read("projects/demo/data/clean.csv");
    ws.write("projects/demo/data/clean.csv", "tampered\n");
    const run = await ws.runJson();
    expect(statuses(run)["demo:clean"]).toBe("restored");
    expect(withStatus(run, "ran")).toEqual([]);
    expect(ws.read("projects/demo/data/clean.csv")).toBe(before);
  });

  it("reruns only the stage importing an edited helper, and its downstream", async () => {
    ws.edit("projects/demo/scale.ts", "value * factor", "value * factor + 1");
    const run = await ws.runJson();
    expect(withStatus(run, "ran")).toEqual(["demo:features", "demo:report"]);
    expect(ws.read("projects/demo/data/features.csv")).toBe("10\n16\n");
  });

  it("switching a param back is a cache hit", async () => {
    ws.edit("projects/demo/pipeline.ts", "factor: 3", "factor: 2");
    ws.edit("projects/demo/scale.ts", "value * factor + 1", "value * factor");
    const run = await ws.runJson();
    expect(withStatus(run, "ran")).toEqual([]);
    expect(withStatus(run, "restored")).toEqual(["demo:features", "demo:report"]);
  });

  it("--set overrides a param for one run and switching back is a hit", async () => {
    const variant = await ws.runJson(["--set", "demo:features.factor=5"]);
    expect(withStatus(variant, "ran")).toEqual(["demo:features", "demo:report"]);
    expect(ws.read("projects/demo/data/features.csv")).toBe("15\n25\n");
    const back = await ws.runJson();
    expect(withStatus(back, "ran")).toEqual([]);
    expect(ws.read("projects/demo/data/features.csv")).toBe("6\n10\n");
  });

  it("--set refuses a value of the wrong type with exit code 2", async () => {
    const out = await ws.run(["run", "--set", "demo:features.factor=big"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("param demo:features.factor is a number");
  });

  it("--set refuses a number JSON cannot hold, as a pipeline file's param would be", async () => {
    const out = await ws.run(["run", "--set", "demo:features.factor=1e999"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("param demo:features.factor is Infinity, not a JSON number");
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it("--dry-run says what would run and why, and executes nothing", async () => {
    ws.edit("projects/demo/pipeline.ts", "minValue: 0", "minValue: 4");
    const run = await ws.runJson(["--dry-run"]);
    const clean = run.stages.find((s) => s.id === "demo:clean");
    expect(clean?.status).toBe("would-run");
    expect(clean?.why).toEqual(["params.minValue 0 -> 4"]);
    expect(statuses(run)["demo:report"]).toBe("would-run");
    expect(ws.count("report")).toBe(4);
    const explain = await ws.run(["explain", "demo:clean"]);
    expect(explain.stdout).toContain("params.minValue 0 -> 4");
    ws.edit("projects/demo/pipeline.ts", "minValue: 4", "minValue: 0");
  });

  it("targets a single stage with its upstream only", async () => {
    await ws.run(["gc"]);
    ws.write("projects/demo/notes.txt", "changed notes\n");
    const run = await ws.runJson(["demo:stats"]);
    expect(run.stages.map((s) => s.id).sort()).toEqual(["demo:clean", "demo:ingest", "demo:stats"]);
    expect(ws.count("other")).toBe(1);
  });

  it("records every stage in sluice.lock and status --locked checks it", async () => {
    await ws.runJson();
    const lock = JSON.parse(ws.read("sluice.lock")) as { version: number; stages: Record<string, { key: string; outs: { path: string }[] }> };
    expect(lock.version).toBe(1);
    expect(Object.keys(lock.stages).sort()).toEqual(ALL);
    expect(lock.stages["demo:report"]?.outs[0]?.path).toBe("projects/demo/out/report.txt");
    expect((await ws.run(["status", "--locked"])).code).toBe(0);
    ws.write("projects/demo/out/report.txt", "edited by hand\n");
    const drift = await ws.run(["status", "--locked"]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("projects/demo/out/report.txt");
  });

  it("keeps a run history with params and metrics", async () => {
    const out = await ws.run(["runs", "demo:features", "--json"]);
    const { runs } = JSON.parse(out.stdout) as { runs: { stage: string; params: { factor: number } }[] };
    expect(runs.map((r) => r.params.factor)).toEqual([2, 3, 3, 5]);
  });
});
