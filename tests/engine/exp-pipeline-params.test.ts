/**
 * An experiment records the pipeline.ts params it set, not the others; exp
 * show and exp diff still give every experiment the value it ran with for a
 * param another experiment set (from its stage's run record), so a diff of
 * two experiments never shows such a param as added or removed.
 */
import { afterEach, expect, it } from "vitest";
import { Workspace } from "../rig.js";

const FILES = {
  "pipeline.ts": `import { defineProject, file, paramsFrom } from "sluice";
export default defineProject("p", (p) => {
  p.stage("a", {
    params: { n: 1 },
    paramsFiles: [paramsFrom("params.yaml", ["train.lr"])],
    outs: { y: file("a.txt") },
    cmd: "echo {params.n} > {outs.y}; cat params.yaml >> {outs.y}",
  });
});
`,
  "params.yaml": "train:\n  lr: 0.1\n",
};

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

interface Change {
  path: string;
  key: string;
  old?: unknown;
  new?: unknown;
  changed: boolean;
}

it("compares a pipeline.ts param one experiment set with the value the other ran with", async () => {
  ws = new Workspace(FILES);
  for (const [name, set] of [["A", "p:a.n=2"], ["B", "train.lr=0.5"]] as const) {
    const out = await ws.run(["exp", "run", "--set", set, "--name", name]);
    expect(out.code, out.stderr).toBe(0);
  }
  const diff = JSON.parse((await ws.run(["exp", "diff", "A", "B", "--json"])).stdout) as { params: Change[] };
  expect(diff.params.map((r) => [r.path, r.key, r.old, r.new, r.changed])).toEqual([
    ["params.yaml", "train.lr", 0.1, 0.5, true],
    ["pipeline.ts", "p:a.n", 2, 1, true],
  ]);
  const table = JSON.parse((await ws.run(["exp", "show", "--json"])).stdout) as { experiments: { name: string; params: Record<string, unknown> }[] };
  expect(table.experiments.map((e) => [e.name, e.params["pipeline.ts:p:a.n"]])).toEqual([
    ["A", 2],
    ["B", 1],
  ]);
});
