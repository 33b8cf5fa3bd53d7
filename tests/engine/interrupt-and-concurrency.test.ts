import { afterEach, describe, expect, it } from "vitest";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { SLOW_WORKSPACE } from "../fixtures/slow-workspace.js";
import { withStatus, Workspace } from "../rig.js";
import { cacheProblems } from "./integrity.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());


describe("interrupts and concurrent runs", () => {
  it("stops on SIGINT, leaves the cache valid, and a rerun completes", async () => {
    ws = new Workspace(SLOW_WORKSPACE);
    const running = ws.start(["run"]);
    await running.waitFor("[p:slow] started");
    running.child.kill("SIGINT");
    const out = await running.done;
    expect(out.code).toBe(130);
    expect(out.stderr).toContain("interrupted");
    expect(ws.exists("projects/p/slow.txt")).toBe(false);
    expect(ws.exists("cache/lock")).toBe(false);
    expect(await cacheProblems(ws.root)).toEqual([]);

    ws.edit("projects/p/pipeline.ts", "sleep 30", "sleep 0");
    const rerun = await ws.runJson();
    expect(rerun.code).toBe(0);
    expect(withStatus(rerun, "cached")).toEqual(["p:first"]);
    expect(withStatus(rerun, "ran")).toEqual(["p:last", "p:slow"]);
    expect(ws.read("projects/p/last.txt")).toBe("first\n");
  });

  it("ends on a second Ctrl-C as an interrupted process, and the next run recovers", async () => {
    ws = new Workspace(SLOW_WORKSPACE);
    ws.edit("projects/p/pipeline.ts", "echo started; sleep 30", "trap '' TERM; echo started; sleep 30");
    const running = ws.start(["run"]);
    await running.waitFor("[p:slow] started");
    running.child.kill("SIGINT");
    await running.waitFor("Ctrl-C again to force");
    running.child.kill("SIGINT");
    const out = await running.done;
    // Ended by the signal itself, as an unhandled Ctrl-C ends a process; or with 130, when the
    // first stop had already finished (the runner's shell dies with it) before the second arrived.
    expect(out.signal === "SIGINT" || out.code === 130, `code ${out.code}, signal ${out.signal}`).toBe(true);
    expect(ws.exists("projects/p/slow.txt")).toBe(false);

    ws.edit("projects/p/pipeline.ts", "sleep 30", "sleep 0");
    const rerun = await ws.runJson();
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(withStatus(rerun, "ran")).toEqual(["p:last", "p:slow"]);
    expect(await cacheProblems(ws.root)).toEqual([]);
  });

  it("says which signal stopped it: SIGTERM (a CI job cancelled) is not a Ctrl-C; a stage's trap cleans up before the run ends", async () => {
    ws = new Workspace(SLOW_WORKSPACE);
    // The stage's shell runs its trap at once (it waits with `wait`, which a trapped signal interrupts, where a
    // foreground sleep would hold the trap until it ended), and the cleanup takes a while.
    ws.edit("projects/p/pipeline.ts", "echo started; sleep 30", `trap 'sleep 0.3; echo cleaned > ${ws.root}/trapped.txt; exit 1' TERM; sleep 30 & echo started; wait`);
    const running = ws.start(["run"]);
    await running.waitFor("[p:slow] started");
    running.child.kill("SIGTERM");
    const out = await running.done;
    expect(out.code).toBe(130);
    expect(out.stderr).toContain("terminated (SIGTERM): stopping running stages (SIGTERM again to force)");
    expect(out.stderr).not.toContain("Ctrl-C");
    expect(ws.exists("cache/lock")).toBe(false);
    expect(ws.read("trapped.txt")).toBe("cleaned\n");
  });

  it("serialises two concurrent runs on one workspace without corrupting the cache", async () => {
    ws = new Workspace(demoFiles());
    const [a, b] = await Promise.all([ws.runJson(), ws.runJson()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const ranTotal = withStatus(a, "ran").length + withStatus(b, "ran").length;
    expect(ranTotal).toBe(6); // every stage ran exactly once across both
    expect(a.stderr + b.stderr).toContain("waiting for the workspace lock");
    expect(ws.count("ingest")).toBe(1);
    expect(await cacheProblems(ws.root)).toEqual([]);
  });

  it("fails at once with --no-wait while another run holds the workspace", async () => {
    ws = new Workspace(SLOW_WORKSPACE);
    const running = ws.start(["run"]);
    await running.waitFor("[p:slow] started");
    const second = await ws.run(["run", "--no-wait"]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/the workspace is locked by pid \d+/);
    running.child.kill("SIGINT");
    await running.done;
  });

  it("recovers at once from a lock left by a killed process", async () => {
    ws = new Workspace(SLOW_WORKSPACE);
    const running = ws.start(["run"]);
    await running.waitFor("[p:slow] started");
    running.child.kill("SIGKILL");
    await running.done;
    expect(ws.exists("cache/lock")).toBe(true);
    ws.edit("projects/p/pipeline.ts", "sleep 30", "sleep 0");
    const rerun = await ws.runJson(["--no-wait"]);
    expect(rerun.code).toBe(0);
    expect(await cacheProblems(ws.root)).toEqual([]);
  });
});
