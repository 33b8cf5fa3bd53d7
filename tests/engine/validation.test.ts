import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

const ROOT = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`;

function project(body: string): Record<string, string> {
  return {
    "pipeline.ts": ROOT,
    "projects/p/input.txt": "x\n",
    "projects/p/pipeline.ts": `import { defineProject, dir, file, source } from "sluice";
export default defineProject("p", (p) => {
${body}
});
`,
  };
}

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

async function expectDefinitionError(files: Record<string, string>, pattern: RegExp, args: string[] = ["run"]) {
  ws = new Workspace(files);
  const out = await ws.run(args);
  expect(out.code).toBe(2);
  expect(out.stderr).toMatch(pattern);
  expect(out.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(ws.exists("cache/records")).toBe(false);
  return out;
}

describe("pipeline validation (exit 2, one message naming file and stage)", () => {
  it("rejects plot options that are not column names, and options a plot does not take, each message naming the output", async () => {
    const files = project(`  p.stage("curve", {
    outs: {
      a: plots("a.csv", { x: 3 } as never),
      b: plots("b.csv", { y: [] }),
      c: plots("c.csv", { colour: "red" } as never),
    },
    cmd: "true",
  });`);
    files["projects/p/pipeline.ts"] = (files["projects/p/pipeline.ts"] as string).replace("source }", "source, plots }");
    const out = await expectDefinitionError(files, /plots output "a" \(a\.csv\) has an x that is not a column name/);
    expect(out.stderr).toContain('plots output "b" (b.csv) has a y that is not a column name or a non-empty list of them');
    expect(out.stderr).toContain('plots output "c" (c.csv) has unknown option "colour" (a plot takes x, y and title)');
  });

  it("rejects unknown keys in a stage declaration, each with the nearest key it may have meant", async () => {
    const out = await expectDefinitionError(
      project(`  const decl = { parms: { n: 1 }, outputs: { y: file("y.txt") }, bogus: 1, cmd: "true" };
  p.stage("clean", decl);`),
      /unknown key "parms" in stage p:clean; did you mean "params"\?/,
    );
    expect(out.stderr).toContain('projects/p/pipeline.ts:4: unknown key "parms" in stage p:clean; did you mean "params"?');
    expect(out.stderr).toContain('unknown key "outputs" in stage p:clean (a stage declares');
    expect(out.stderr).toContain('unknown key "bogus" in stage p:clean (a stage declares description, deps, params, paramsFiles, outs, env, probes, resources, alwaysRun, frozen, wdir, confirmHit, executor, run, cmd)');
  });

  it("points an unknown key written in the declaration at its own line, not the stage's", async () => {
    const out = await expectDefinitionError(
      project(`  p.stage("clean", {
    cmd: "true",
    parms: { n: 1 },
  });`),
      /unknown key "parms" in stage p:clean; did you mean "params"\?/,
    );
    // Line 3 is p.stage(; the key is two lines below, and the excerpt underlines it.
    expect(out.stderr).toContain('projects/p/pipeline.ts:5: unknown key "parms" in stage p:clean; did you mean "params"?');
    expect(out.stderr).toMatch(/5 \|\s+parms: \{ n: 1 \},\n\s+\^/);
  });

  it("points a problem with deps, params or cmd at the line of that key", async () => {
    const out = await expectDefinitionError(
      project(`  p.stage("clean", {
    deps: { raw: source("missing.csv") },
    params: { when: new Date(0) as never },
    outs: { y: file("y.txt") },
    cmd: "cat {deps.raw} > {outs.z}",
  });`),
      /dep "raw" names projects\/p\/missing\.csv, which does not exist/,
    );
    expect(out.stderr).toContain("projects/p/pipeline.ts:4: stage p:clean: dep \"raw\" names projects/p/missing.csv, which does not exist");
    expect(out.stderr).toMatch(/projects\/p\/pipeline\.ts:5: stage p:clean: params\.when/);
    expect(out.stderr).toContain('projects/p/pipeline.ts:7: stage p:clean: cmd uses {outs.z} but declares no outs named "z"');
  });

  it("rejects a dependency cycle", async () => {
    await expectDefinitionError(
      project(`  const fake = { id: "p:b", project: "p", name: "b", outs: {} };
  const a = p.stage("a", { deps: { x: { ref: "output", stage: fake, name: "y", out: file("b.txt") } as never }, outs: { y: file("a.txt") }, cmd: "true" });
  p.stage("b", { deps: { x: a.outs.y }, outs: { y: file("b.txt") }, cmd: "true" });`),
      /projects\/p\/pipeline\.ts:4: stage p:a: dependency cycle p:a -> p:b -> p:a/,
    );
  });

  it("rejects a source that another stage writes, whether or not the file exists yet, naming both stages and the fix", async () => {
    const body = `  const clean = p.stage("clean", { deps: { raw: source("input.txt"), b: source("data/b.csv") }, outs: { y: file("data/clean.csv") }, cmd: "cat {deps.raw} {deps.b} > {outs.y}" });
  p.stage("b", { deps: { x: clean.outs.y }, outs: { csv: file("data/b.csv") }, cmd: "cat {deps.x} >> {outs.csv}" });`;
    const message = 'projects/p/pipeline.ts:3: stage p:clean: dep "b" is source("data/b.csv"), but projects/p/data/b.csv is output "csv" of stage p:b: use b.outs.csv instead';
    const absent = await expectDefinitionError(project(body), /source-is-output|is output "csv"/);
    expect(absent.stderr).toContain(message);
    expect(absent.stderr).not.toContain("does not exist");
    const present = await expectDefinitionError({ ...project(body), "projects/p/data/b.csv": "1\n" }, /is output "csv"/);
    expect(present.stderr).toContain(message);
  });

  it("rejects a source inside a directory output, and a source folder holding an output", async () => {
    const inside = await expectDefinitionError(
      project(`  p.stage("w", { outs: { d: dir("models") }, cmd: "mkdir -p {outs.d}" });
  p.stage("r", { deps: { m: source("models/m.bin") }, outs: { y: file("y.txt") }, cmd: "true" });`),
      /stage p:r: dep "m" is source\("models\/m\.bin"\), but projects\/p\/models\/m\.bin lies inside projects\/p\/models, output "d" of stage p:w: use w\.outs\.d instead/,
    );
    expect(inside.code).toBe(2);
    await expectDefinitionError(
      { ...project(`  p.stage("w", { outs: { o: file("data/o.csv") }, cmd: "true" });
  p.stage("r", { deps: { all: source("data") }, outs: { y: file("y.txt") }, cmd: "true" });`), "projects/p/data/keep.txt": "k\n" },
      /stage p:r: dep "all" is source\("data"\), but projects\/p\/data holds projects\/p\/data\/o\.csv, output "o" of stage p:w: use w\.outs\.o instead/,
    );
  });

  it("rejects duplicate stage ids", async () => {
    const out = await expectDefinitionError(
      project(`  p.stage("a", { outs: { y: file("a.txt") }, cmd: "true" });
  p.stage("a", { outs: { y: file("b.txt") }, cmd: "true" });`),
      /projects\/p\/pipeline\.ts:4: duplicate stage id "p:a"/,
    );
    expect(out.stderr).toContain('p.stage("a"'); // the source line is shown
  });

  it("rejects two stages writing the same path", async () => {
    await expectDefinitionError(
      project(`  p.stage("a", { outs: { y: file("same.txt") }, cmd: "true" });
  p.stage("b", { outs: { y: file("same.txt") }, cmd: "true" });`),
      /pipeline\.ts:4: stage p:b: output projects\/p\/same\.txt is also written by p:a/,
    );
  });

  it("rejects an output outside the project folder", async () => {
    await expectDefinitionError(
      project(`  p.stage("a", { outs: { y: file("../../escape.txt") }, cmd: "true" });`),
      /pipeline\.ts:3: stage p:a: output "y" \(\.\.\/\.\.\/escape\.txt\) is outside the project folder projects\/p/,
    );
  });

  it("rejects a dep or an output reached through a symlink that leaves the workspace", async () => {
    const files = project(`  p.stage("a", { deps: { x: source("linked/secret.txt") }, outs: { y: file("escape/y.txt") }, cmd: "true" });`);
    ws = new Workspace(files);
    const outside = join(dirname(ws.root), "outside");
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "secret.txt"), "s\n");
    symlinkSync(outside, join(ws.root, "projects/p/linked"));
    symlinkSync(outside, join(ws.root, "projects/p/escape"));
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('dep "x" (projects/p/linked/secret.txt) is a symlink leading outside the workspace');
    expect(out.stderr).toContain('output "y" (escape/y.txt) would be written through a symlink leading outside the workspace');
  });

  it("rejects a dep on a missing file", async () => {
    await expectDefinitionError(
      project(`  p.stage("a", { deps: { x: source("nope.csv") }, outs: { y: file("a.txt") }, cmd: "true" });`),
      /pipeline\.ts:3: stage p:a: dep "x" names projects\/p\/nope\.csv, which does not exist/,
    );
  });

  it("rejects params that are not JSON", async () => {
    const out = await expectDefinitionError(
      project(`  p.stage("a", { params: { when: new Date(0) as never, rate: NaN }, outs: { y: file("a.txt") }, cmd: "true" });`),
      /stage p:a: params\.rate is NaN, not a JSON number/,
    );
    expect(out.stderr).toContain("stage p:a: params.when is a Date, not a JSON object");
  });

  it("names a dep on a missing file once, not again as an unknown placeholder of the cmd using it", async () => {
    const out = await expectDefinitionError(
      project(`  p.stage("a", { deps: { raw: source("raw.csv") }, outs: { y: file("a.txt") }, cmd: "cp {deps.raw} {outs.y}" });`),
      /stage p:a: dep "raw" names projects\/p\/raw\.csv, which does not exist/,
    );
    expect(out.stderr).not.toContain("cmd uses");
  });

  it("rejects a cmd placeholder naming nothing declared", async () => {
    await expectDefinitionError(
      project(`  p.stage("a", { outs: { y: file("a.txt") }, cmd: "cp {deps.missing} {outs.y}" });`),
      /stage p:a: cmd uses \{deps\.missing\} but declares no deps named "missing"/,
    );
  });

  it("suggests the placeholder, the source file and the params file a typo meant", async () => {
    const files = project(`  p.stage("a", {
    deps: { script: source("train.py") },
    paramsFiles: [paramsFrom("params.yaml", ["lr"])],
    outs: { y: file("a.txt") },
    cmd: "cat {deps.scrpt} > {outs.y}",
  });
  p.stage("b", { deps: { code: source("trian.py") }, outs: { y: file("b.txt") }, cmd: "cat {deps.code} > {outs.y}" });`);
    files["projects/p/pipeline.ts"] = (files["projects/p/pipeline.ts"] as string).replace("import {", "import { paramsFrom,");
    const out = await expectDefinitionError(
      { ...files, "projects/p/train.py": "print(1)\n", "projects/p/params.yml": "lr: 0.1\n" },
      /cmd uses \{deps\.scrpt\} but declares no deps named "scrpt" \(did you mean \{deps\.script\}\?\)/,
    );
    expect(out.stderr).toContain("params file params.yaml does not exist (did you mean params.yml?)");
    expect(out.stderr).toContain('dep "code" names projects/p/trian.py, which does not exist (did you mean projects/p/train.py?)');
  });

  it("rejects an unknown target and suggests one", async () => {
    await expectDefinitionError(
      project(`  p.stage("build", { outs: { y: file("a.txt") }, cmd: "echo > {outs.y}" });`),
      /unknown target "p:bild"/,
      ["run", "p:bild"],
    );
  });

  it("reports a syntax error with file and line", async () => {
    await expectDefinitionError(
      project(`  p.stage("a", { outs: { y: file("a.txt") } cmd: "true" });`),
      /cannot load .*projects\/p\/pipeline\.ts:3: Expected "}" but found "cmd"/,
    );
  });

  it("reports every problem at once, not just the first", async () => {
    const out = await expectDefinitionError(
      project(`  p.stage("a", { deps: { x: source("nope.csv") }, outs: { y: file("a.txt") }, cmd: "true" });
  p.stage("b", { outs: { y: file("/abs.txt") }, cmd: "true" });`),
      /nope\.csv/,
    );
    expect(out.stderr).toContain("abs.txt");
  });

  it("says where to start when there is no pipeline", async () => {
    ws = new Workspace({});
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("sluice init");
  });
});
