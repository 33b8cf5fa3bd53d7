import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

const ROOT = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`;

function project(stages: string): Record<string, string> {
  return {
    "pipeline.ts": ROOT,
    "projects/p/input.txt": "in\n",
    "projects/p/extra.txt": "not declared\n",
    "projects/p/pipeline.ts": `import { defineProject, file, source } from "sluice";
export default defineProject("p", (p) => {
${stages}
});
`,
  };
}

describe("cmd stages run in a shadow directory", () => {
  it("reports a file written outside the declared outputs, and never moves it into the workspace", async () => {
    ws = new Workspace(project(`  p.stage("a", { deps: { x: source("input.txt") }, outs: { y: file("out/y.txt") }, cmd: "cp {deps.x} {outs.y}; echo stray > notes.log; mkdir -p tmp && echo t > tmp/t.txt" });`));
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(run.stages[0]?.status).toBe("ran");
    expect((run.stages[0] as { warnings?: string[] }).warnings).toEqual([
      "wrote undeclared outputs projects/p/notes.log, projects/p/tmp/t.txt (declare them in outs, or it is lost)",
    ]);
    expect(ws.exists("projects/p/notes.log")).toBe(false);
    expect(ws.read("projects/p/out/y.txt")).toBe("in\n");
  });

  it("fails the stage on an undeclared output with --strict", async () => {
    ws = new Workspace(project(`  p.stage("a", { outs: { y: file("y.txt") }, cmd: "echo y > {outs.y}; echo stray > stray.txt" });`));
    const run = await ws.runJson(["--strict"]);
    expect(run.code).toBe(1);
    expect(run.stages[0]?.reason).toBe("undeclared-output: wrote undeclared output projects/p/stray.txt (declare it in outs, or it is lost)");
    expect(ws.exists("projects/p/y.txt")).toBe(false);
  });

  it("lets a command read only what it declares, with workspace-relative paths working as usual", async () => {
    ws = new Workspace(project(`  p.stage("declared", { deps: { x: source("input.txt") }, outs: { y: file("y.txt") }, cmd: "cat input.txt > {outs.y}" });
  p.stage("undeclared", { outs: { y: file("z.txt") }, cmd: "cat extra.txt > {outs.y}" });`));
    const run = await ws.runJson(["--keep-going"]);
    expect(statuses(run)).toEqual({ "p:declared": "ran", "p:undeclared": "failed" });
    expect(ws.read("projects/p/y.txt")).toBe("in\n");
  });

  it("hides a script's undeclared imports even from tools that resolve links to their real place", async () => {
    ws = new Workspace({
      ...project(`  p.stage("alone", { deps: { script: source("main.mjs") }, outs: { y: file("a.txt") }, cmd: "node {deps.script} > {outs.y}" });
  p.stage("with-helper", { deps: { script: source("main.mjs"), helper: source("helper.mjs") }, outs: { y: file("b.txt") }, cmd: "node {deps.script} > {outs.y}" });`),
      "projects/p/main.mjs": `import { word } from "./helper.mjs";\nconsole.log(word);\n`,
      "projects/p/helper.mjs": `export const word = "helped";\n`,
    });
    const run = await ws.runJson(["--keep-going"]);
    // Node resolves a symlinked script to its real path and would find the helper in the workspace.
    expect(statuses(run)).toEqual({ "p:alone": "failed", "p:with-helper": "ran" });
    expect(ws.read("projects/p/b.txt")).toBe("helped\n");
  });

  it("leaves the workspace's dep as it was when a command removes or replaces its copy", async () => {
    ws = new Workspace(project(`  p.stage("a", { deps: { x: source("input.txt") }, outs: { y: file("y.txt") }, cmd: "cat {deps.x} > {outs.y}; rm {deps.x}; echo replaced > new.txt; mv new.txt {deps.x}" });`));
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(ws.read("projects/p/input.txt")).toBe("in\n");
    expect(ws.read("projects/p/y.txt")).toBe("in\n");
  });

  it("changes the key when a dep or a param is removed from a declaration", async () => {
    ws = new Workspace(project(`  p.stage("a", { deps: { x: source("input.txt"), e: source("extra.txt") }, params: { n: 1, m: 2 }, outs: { y: file("y.txt") }, cmd: "cat {deps.x} > {outs.y}" });`));
    const first = await ws.runJson();
    ws.edit("projects/p/pipeline.ts", `, e: source("extra.txt")`, "");
    const noDep = await ws.runJson();
    expect(noDep.stages[0]?.status).toBe("ran");
    expect(noDep.stages[0]?.key).not.toBe(first.stages[0]?.key);
    ws.edit("projects/p/pipeline.ts", ", m: 2", "");
    const noParam = await ws.runJson();
    expect(noParam.stages[0]?.status).toBe("ran");
    const explained = await ws.run(["explain", "p:a"]);
    expect(explained.stdout).toContain("fresh");
  });
});
