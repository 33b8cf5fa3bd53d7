import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

/** Two CPU-bound `run` stages that record when they started and ended. */
const BUSY = {
  "pipeline.ts": `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`,
  "projects/p/busy.ts": `import { writeFileSync } from "node:fs";
export function spin(ctx: { outs: { span: string }; params: { ms: number } }): void {
  const start = Date.now();
  let x = 0;
  while (Date.now() - start < ctx.params.ms) x += Math.sqrt(x + 1); // CPU, not a timer
  writeFileSync(ctx.outs.span, JSON.stringify({ start, end: Date.now(), x: x > 0 }));
}
`,
  "projects/p/pipeline.ts": `import { defineProject, file } from "sluice";
import { spin } from "./busy.js";
export default defineProject("p", (p) => {
  p.stage("a", { params: { ms: 600 }, outs: { span: file("a.json") }, resources: { gpu: 1 }, run: spin });
  p.stage("b", { params: { ms: 601 }, outs: { span: file("b.json") }, resources: { gpu: 1 }, run: spin });
});
`,
};

function overlap(ws: Workspace): boolean {
  const a = JSON.parse(ws.read("projects/p/a.json")) as { start: number; end: number };
  const b = JSON.parse(ws.read("projects/p/b.json")) as { start: number; end: number };
  return a.start < b.end && b.start < a.end;
}

describe("scheduling", () => {
  it("runs CPU-bound TypeScript stages truly in parallel with --jobs 2", async () => {
    ws = new Workspace(BUSY);
    const run = await ws.runJson(["--jobs", "2"]);
    expect(run.code).toBe(0);
    expect(overlap(ws)).toBe(true);
  });

  it("never runs more than --resources allows at once", async () => {
    ws = new Workspace(BUSY);
    const run = await ws.runJson(["--jobs", "2", "--resources", "gpu=1"]);
    expect(run.code).toBe(0);
    expect(overlap(ws)).toBe(false);
  });

  it("fails a stage that needs more than the run allows, naming the resource", async () => {
    ws = new Workspace(BUSY);
    const run = await ws.runJson(["--resources", "gpu=0"]);
    expect(run.code).toBe(1);
    expect(run.stages[0]?.reason).toContain("needs gpu=1 but the run allows gpu=0");
  });

  it("rejects a malformed --resources with exit 2", async () => {
    ws = new Workspace(BUSY);
    const out = await ws.run(["run", "--resources", "gpu"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("expected name=number");
  });
});
