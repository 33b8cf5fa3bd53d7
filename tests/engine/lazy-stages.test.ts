/**
 * A `run` stage named with `runFrom(() => import("./m.js"), "name")`: its
 * module is evaluated only where the stage executes, never by planning (a
 * no-op run, `status`, `explain`, `--dry-run`). Each stage module here
 * records its own evaluation in a file outside the workspace, so a test sees
 * exactly which commands evaluated it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { statuses, withStatus, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

/** A stage module that records each evaluation under `name` in the counts folder. */
const recording = (name: string, body: string): string => `import { appendFileSync } from "node:fs";
import { join } from "node:path";
${body}
appendFileSync(join(process.env["COUNTS"] as string, ${JSON.stringify(name)}), "evaluated\\n");
`;

function lazyWorkspace(): Workspace {
  return new Workspace({
    "pipeline.ts": `import { z } from "zod";
import { defineProject, file, json, runFrom, source, type StagesOf } from "sluice";
import { shout } from "./shout.js";
const lazy = defineProject("lazy", (p) => {
  const words = p.stage("words", { deps: { text: source("in.txt") }, outs: { list: json(z.array(z.string())) }, run: runFrom(() => import("./split.js"), "splitWords") });
  const loud = p.stage("loud", { deps: { list: words.outs.list }, params: { suffix: "!" }, outs: { text: file("out/loud.txt") }, run: runFrom(() => import("./loud.js"), "loudWords") });
  const eager = p.stage("eager", { deps: { text: loud.outs.text }, outs: { copy: file("out/copy.txt") }, run: shout });
  return { words, loud, eager };
});
export default lazy;
export type LazyStages = StagesOf<typeof lazy>;
`,
    "in.txt": "alpha beta gamma\n",
    "split.ts": recording(
      "split",
      `import { readFileSync } from "node:fs";
import type { StageContextOf } from "sluice";
import type { LazyStages } from "./pipeline.js";
export function splitWords(ctx: StageContextOf<LazyStages["words"]>) {
  return { list: readFileSync(ctx.deps.text, "utf8").trim().split(" ") };
}`,
    ),
    "loud.ts": recording(
      "loud",
      `import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { StageFn } from "sluice";
import type { LazyStages } from "./pipeline.js";
import { upper } from "./upper.js";
export const loudWords: StageFn<LazyStages["loud"]> = (ctx) => {
  mkdirSync(dirname(ctx.outs.text), { recursive: true });
  writeFileSync(ctx.outs.text, ctx.deps.list.map((w) => upper(w) + ctx.params.suffix).join(" ") + "\\n");
};`,
    ),
    "upper.ts": `export const upper = (word: string): string => word.toUpperCase();\n`,
    "shout.ts": recording(
      "shout",
      `import { copyFileSync } from "node:fs";
export function shout(ctx: { deps: { text: string }; outs: { copy: string } }): void {
  copyFileSync(ctx.deps.text, ctx.outs.copy);
}`,
    ),
  });
}

describe("lazy stage references (runFrom)", () => {
  it("evaluates a stage module only when its stage executes, never to plan", async () => {
    ws = lazyWorkspace();
    const first = await ws.runJson();
    expect(first.code, first.stderr).toBe(0);
    expect(withStatus(first, "ran").sort()).toEqual(["lazy:eager", "lazy:loud", "lazy:words"]);
    expect(ws.read("out/loud.txt")).toBe("ALPHA! BETA! GAMMA!\n");
    expect(ws.read("out/copy.txt")).toBe("ALPHA! BETA! GAMMA!\n");
    expect([ws.count("split"), ws.count("loud")]).toEqual([1, 1]);

    const noop = await ws.runJson();
    expect(Object.values(statuses(noop))).toEqual(["cached", "cached", "cached"]);
    for (const args of [["status"], ["explain", "lazy:loud"], ["run", "--dry-run"], ["status", "--json"]]) {
      const out = await ws.run(args);
      expect(out.code, `${args.join(" ")}: ${out.stderr}`).toBe(0);
    }
    // Planning loaded the eager stage's module (the pipeline file imports it), and no lazy one.
    expect([ws.count("split"), ws.count("loud")]).toEqual([1, 1]);
    expect(ws.count("shout")).toBeGreaterThan(1);

    ws.edit("in.txt", "gamma", "delta");
    const rerun = await ws.runJson();
    expect(withStatus(rerun, "ran").sort()).toEqual(["lazy:eager", "lazy:loud", "lazy:words"]);
    expect([ws.count("split"), ws.count("loud")]).toEqual([2, 2]);
  });

  it("reads a lazy reference in a pipeline loaded through loader hooks (one that imports JSON)", async () => {
    ws = lazyWorkspace();
    ws.write("settings.json", JSON.stringify({ suffix: "~" }));
    ws.edit("pipeline.ts", `import { defineProject`, `import settings from "./settings.json" with { type: "json" };\nimport { defineProject`);
    ws.edit("pipeline.ts", 'suffix: "!"', "suffix: settings.suffix");
    const out = await ws.runJson();
    expect(out.code, out.stderr).toBe(0);
    expect(withStatus(out, "ran").sort()).toEqual(["lazy:eager", "lazy:loud", "lazy:words"]);
    expect(ws.read("out/loud.txt")).toBe("ALPHA~ BETA~ GAMMA~\n");
  });

  it("keys a lazy stage by its module and what it imports, not by the pipeline file", async () => {
    ws = lazyWorkspace();
    expect((await ws.runJson()).code).toBe(0);
    ws.edit("upper.ts", "word.toUpperCase()", "word.toUpperCase().split('').join('')"); // same output, new code
    const helper = await ws.runJson();
    expect(withStatus(helper, "ran")).toEqual(["lazy:loud"]);
    ws.edit("pipeline.ts", 'suffix: "!"', 'suffix: "?"');
    const param = await ws.runJson();
    expect(withStatus(param, "ran").sort()).toEqual(["lazy:eager", "lazy:loud"]);
    expect(ws.read("out/copy.txt")).toBe("ALPHA? BETA? GAMMA?\n");
  });

  it("reports a misnamed export, a missing module and a loader it cannot read as definition errors, evaluating nothing", async () => {
    ws = lazyWorkspace();
    ws.edit("pipeline.ts", '"loudWords"', '"loudWord"');
    const misnamed = await ws.run(["status"]);
    expect(misnamed.code).toBe(2);
    expect(misnamed.stderr).toContain('stage lazy:loud: runFrom names export "loudWord" of loud.ts, which does not export it');
    expect(misnamed.stderr).toMatch(/pipeline\.ts:6/);

    ws.edit("pipeline.ts", '"loudWord"', '"loudWords"');
    ws.edit("pipeline.ts", 'import("./split.js")', 'import("./splitt.js")');
    const missing = await ws.run(["run"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("stage lazy:words: runFrom names ./splitt.js, and no such module exists");

    ws.edit("pipeline.ts", '() => import("./splitt.js")', '() => import(["./split", "js"].join("."))');
    const unreadable = await ws.run(["run"]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain(`runFrom's loader must be written () => import("./module.js")`);
    expect([ws.count("split"), ws.count("loud")]).toEqual([0, 0]);
  });
});
