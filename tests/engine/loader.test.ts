import { afterEach, describe, expect, it } from "vitest";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { REPO, withStatus, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

describe("loading pipeline files", () => {
  it("loads from the compiled mirror and recompiles only what changed", async () => {
    ws = new Workspace(demoFiles());
    await ws.runJson();
    const manifest = JSON.parse(ws.read("cache/compiled/manifest.json")) as { files: Record<string, { recordedAt: number }> };
    expect(Object.keys(manifest.files).sort()).toEqual([
      "pipeline.ts",
      "projects/demo/clean.ts",
      "projects/demo/features.ts",
      "projects/demo/pipeline.ts",
      "projects/demo/scale.ts",
      "projects/demo/stats.ts",
    ]);
    ws.edit("projects/demo/scale.ts", "value * factor", "factor * value");
    const rerun = await ws.runJson();
    expect(withStatus(rerun, "ran")).toEqual(["demo:features"]); // same bytes out: report is a hit
    const after = JSON.parse(ws.read("cache/compiled/manifest.json")) as typeof manifest;
    expect(after.files["projects/demo/scale.ts"]?.recordedAt).toBeGreaterThan(manifest.files["projects/demo/scale.ts"]?.recordedAt ?? 0);
    expect(after.files["projects/demo/clean.ts"]?.recordedAt).toBe(manifest.files["projects/demo/clean.ts"]?.recordedAt);
  });

  it("keeps import.meta.url pointing at the source file", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
import { whereAmI } from "./where.js";
export default defineProject("w", (p) => {
  p.stage("where", { outs: { y: file("out/where.txt") }, run: whereAmI });
});
`,
      "where.ts": `import { writeFileSync, readFileSync } from "node:fs";
export function whereAmI(ctx: { outs: { y: string } }): void {
  writeFileSync(ctx.outs.y, readFileSync(new URL("./data.txt", import.meta.url), "utf8"));
}
`,
      "data.txt": "beside the source\n",
    });
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(ws.read("out/where.txt")).toBe("beside the source\n");
  });

  it("falls back to loader hooks for a module graph the mirror cannot hold (a JSON import)", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
import settings from "./settings.json" with { type: "json" };
export default defineProject("j", (p) => {
  p.stage("echo", { params: { greeting: settings.greeting }, outs: { y: file("out/y.txt") }, cmd: "echo {params.greeting} > {outs.y}" });
});
`,
      "settings.json": JSON.stringify({ greeting: "hello" }),
    });
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(ws.read("out/y.txt")).toBe("hello\n");
  });

  it("loads through loader hooks under a package.json with \"type\": \"commonjs\" (what npm init -y writes), run stages too", async () => {
    ws = new Workspace(
      {
        "package.json": JSON.stringify({ name: "ws", version: "1.0.0", type: "commonjs" }),
        "pipeline.ts": `import { defineProject, file, runFrom } from "sluice";
import settings from "./settings.json" with { type: "json" };
export default defineProject("c", (p) => {
  p.stage("echo", { params: { greeting: settings.greeting }, outs: { y: file("out/y.txt") }, cmd: "echo {params.greeting} > {outs.y}" });
  p.stage("shout", { params: { greeting: settings.greeting }, outs: { z: file("out/z.txt") }, run: runFrom(() => import("./shout.js"), "shout") });
});
`,
        "shout.ts": `import { writeFileSync } from "node:fs";
export function shout(ctx: { params: { greeting: string }; outs: { z: string } }): void {
  writeFileSync(ctx.outs.z, ctx.params.greeting.toUpperCase() + "\\n");
}
`,
        "settings.json": JSON.stringify({ greeting: "hello" }),
      },
      { packageJson: false },
    );
    const run = await ws.run(["run", "--verbose"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("note: the pipeline loaded through TypeScript loader hooks");
    expect(ws.read("out/y.txt")).toBe("hello\n");
    expect(ws.read("out/z.txt")).toBe("HELLO\n");
  });

  it("says with --verbose when the pipeline loads through loader hooks, and why", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
import settings from "./settings.json" with { type: "json" };
export default defineProject("j", (p) => {
  p.stage("echo", { params: { greeting: settings.greeting }, outs: { y: file("out/y.txt") }, cmd: "echo {params.greeting} > {outs.y}" });
});
`,
      "settings.json": JSON.stringify({ greeting: "hello" }),
    });
    const run = await ws.run(["status", "--verbose"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("note: the pipeline loaded through TypeScript loader hooks");
  });

  it("loads a workspace that imports itself by its package name from the compiled mirror", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
import { greeting } from "selfie/greeting";
export default defineProject("s", (p) => {
  p.stage("echo", { params: { greeting }, outs: { y: file("out/y.txt") }, cmd: "echo {params.greeting} > {outs.y}" });
});
`,
      "greeting.js": `export const greeting = "hi";\n`,
    });
    ws.write("package.json", JSON.stringify({ name: "selfie", type: "module", private: true, exports: { "./greeting": "./greeting.js" } }));
    const run = await ws.run(["run", "--verbose"]);
    expect(run.code, run.stderr).toBe(0);
    expect(ws.read("out/y.txt")).toBe("hi\n");
    expect(run.stderr).not.toContain("loader hooks");
    // A link removed by hand is put back by the next load, which still needs no hooks.
    rmSync(join(ws.root, "cache", "compiled", "node_modules"), { recursive: true });
    const again = await ws.run(["status", "--verbose"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("loader hooks");
  });

  it("finds each project's folder when pipelines import the API by a relative path", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineWorkspace } from "./src/index.js";
export default defineWorkspace({ projects: ["projects/a", "projects/b"] });
`,
      ...Object.fromEntries(
        ["a", "b"].map((name) => [
          `projects/${name}/pipeline.ts`,
          `import { defineProject, file } from "../../src/index.js";
export default defineProject("${name}", (p) => { p.stage("s", { outs: { y: file("y.txt") }, cmd: "echo ${name} > {outs.y}" }); });
`,
        ]),
      ),
    });
    symlinkSync(join(REPO, "src"), join(ws.root, "src"));
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(ws.read("projects/a/y.txt")).toBe("a\n");
    expect(ws.read("projects/b/y.txt")).toBe("b\n");
  });

  it("gives the same results through loader hooks (SLUICE_LOADER=hooks)", async () => {
    ws = new Workspace(demoFiles());
    const hooks = await ws.runJson([], { env: { SLUICE_LOADER: "hooks" } });
    expect(withStatus(hooks, "ran")).toHaveLength(6);
    const mirror = await ws.runJson();
    expect(withStatus(mirror, "cached")).toHaveLength(6); // same keys either way
  });

  // Types erased by the compiler shift every later line of the compiled file,
  // so a position that was not mapped back would name the wrong line.
  const TYPES = `interface Options {
  readonly factor: number;
  readonly label: string;
}
type Pair = readonly [number, number];
`;

  it.each([["mirror", {}], ["hooks", { SLUICE_LOADER: "hooks" }]] as const)(
    "names the TypeScript line where a pipeline throws while loading (%s)",
    async (_loader, env) => {
      ws = new Workspace({
        "pipeline.ts": `import { defineProject } from "sluice";
${TYPES}const options: Options = { factor: 2, label: "x" };
if (options.factor > 1) throw new Error("no factor above 1");
export default defineProject("t", () => {});
`,
      });
      const out = await ws.run(["run"], { env });
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/cannot load pipeline\.ts:8: no factor above 1\n\s+8 \| if \(options\.factor > 1\) throw/);
    },
  );

  it("says what a stage used before it is declared means: stages read only what is above them, so no cycle", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("c", (p) => {
  const prepare = p.stage("prepare", { deps: { m: train.outs.model }, outs: { d: file("d.txt") }, cmd: "cp {deps.m} {outs.d}" });
  const train = p.stage("train", { deps: { d: prepare.outs.d }, outs: { model: file("m.txt") }, cmd: "cp {deps.d} {outs.model}" });
});
`,
    });
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("cannot load pipeline.ts:3: Cannot access 'train' before initialization (if train is a stage, declare it above the stages that read its outputs");
  });

  it("names the file, and points at no line, when a pipeline throws what carries no stack (a string)", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject } from "sluice";
if (!process.env["DATA_ROOT"]) throw "set DATA_ROOT first";
export default defineProject("t", () => {});
`,
    });
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/error: cannot load pipeline\.ts: set DATA_ROOT first\n/);
    expect(out.stderr).not.toMatch(/^\s+\d+ \|/m);
  });

  it.each([["mirror", {}], ["hooks", { SLUICE_LOADER: "hooks" }]] as const)(
    "shows the TypeScript frames of a run stage that throws (%s)",
    async (_loader, env) => {
      ws = new Workspace({
        "pipeline.ts": `import { defineProject, file } from "sluice";
import { explode } from "./explode.js";
export default defineProject("t", (p) => {
  p.stage("boom", { outs: { y: file("out/y.txt") }, run: explode });
});
`,
        "explode.ts": `${TYPES}export function explode(): Pair {
  throw new Error("exploded on purpose");
}
`,
      });
      const out = await ws.run(["run"], { env });
      expect(out.code).toBe(1);
      expect(out.stderr).toContain("exploded on purpose");
      expect(out.stderr).toMatch(/explode\.ts:7:/);
      expect(out.stderr).not.toContain("cache/compiled");
    },
  );
});
