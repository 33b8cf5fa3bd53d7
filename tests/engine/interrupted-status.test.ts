import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace, type RunJson } from "../rig.js";
import { SLOW_WORKSPACE } from "../fixtures/slow-workspace.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());


const SLOW_FUNCTION = {
  "pipeline.ts": SLOW_WORKSPACE["pipeline.ts"],
  "projects/p/pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("p", (p) => {
  p.stage("think", {
    outs: { y: file("think.txt") },
    run: async () => {
      console.log("thinking");
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    },
  });
});
`,
};

describe("a stage stopped by Ctrl-C", () => {
  it("is reported as interrupted in --json, its downstream skipped, and the run exits 130", async () => {
    ws = new Workspace(SLOW_WORKSPACE);
    // --verbose keeps the stage's output on stderr next to --json, so the test can wait for it.
    const running = ws.start(["run", "--json", "--verbose"]);
    await running.waitFor("[p:slow] started");
    running.child.kill("SIGINT");
    const out = await running.done;
    expect(out.code).toBe(130);
    const doc = JSON.parse(out.stdout) as RunJson & { interrupted?: boolean };
    expect(statuses(doc)).toEqual({ "p:first": "ran", "p:slow": "interrupted", "p:last": "skipped" });
    expect(doc.ok).toBe(false);
    expect(doc.interrupted).toBe(true);
    expect(doc.stages.find((s) => s.id === "p:slow")?.reason).toMatch(/^interrupted: stopped by an interrupt/);
    expect(doc.stages.find((s) => s.id === "p:last")?.why).toEqual(["upstream p:slow interrupted"]);
    expect(ws.exists("projects/p/slow.txt")).toBe(false);
  });

  it("is named interrupted in plain output, not failed", async () => {
    ws = new Workspace(SLOW_WORKSPACE);
    const running = ws.start(["run"]);
    await running.waitFor("[p:slow] started");
    running.child.kill("SIGINT");
    const out = await running.done;
    expect(out.code).toBe(130);
    expect(out.stderr).toMatch(/^interrupted p:slow \(.+\): interrupted: stopped by an interrupt/m);
    expect(out.stderr).not.toMatch(/^failed /m);
    expect(out.stderr).toMatch(/1 ran, 1 interrupted, 1 skipped$/m);
  });

  it("is interrupted too when it is a run function in a worker thread", async () => {
    ws = new Workspace(SLOW_FUNCTION);
    const running = ws.start(["run", "--json", "--verbose"]);
    await running.waitFor("[p:think] thinking");
    running.child.kill("SIGINT");
    const out = await running.done;
    expect(out.code).toBe(130);
    expect(statuses(JSON.parse(out.stdout) as RunJson)).toEqual({ "p:think": "interrupted" });
    expect(ws.exists("projects/p/think.txt")).toBe(false);
  });
});
