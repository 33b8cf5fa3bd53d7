/**
 * A `run` stage is keyed by the files its code imports. Every way of naming
 * a module in the code is followed (a template literal without `${}`, an
 * import with attributes), so editing that module reruns the stage; a local
 * module whose path is built as the code runs cannot be in the key, and is
 * refused before anything runs, pointing at the import.
 */
import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

function workspace(importing: string): Workspace {
  return new Workspace({
    "pipeline.ts": `import { defineProject, file, runFrom } from "sluice";
export default defineProject("c", (p) => {
  p.stage("build", { params: { which: "one" }, outs: { y: file("out/y.txt") }, run: runFrom(() => import("./stage.js"), "build") });
});
`,
    "stage.ts": `import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
export async function build(ctx: { params: { which: string }; outs: { y: string } }) {
  const helper = (await ${importing}) as { value: number };
  mkdirSync(dirname(ctx.outs.y), { recursive: true });
  writeFileSync(ctx.outs.y, String(helper.value));
}
`,
    "helpers/one.ts": "export const value = 1;\n",
  });
}

describe("the modules a run stage's code imports", () => {
  it.each([
    ["a template literal", "import(`./helpers/one.js`)"],
    ["import attributes", `import("./helpers/one.js", { with: {} })`],
  ])("follows an import named by %s: editing the module reruns the stage", async (_, importing) => {
    ws = workspace(importing);
    expect(statuses(await ws.runJson())).toEqual({ "c:build": "ran" });
    expect(ws.read("out/y.txt")).toBe("1");
    ws.write("helpers/one.ts", "export const value = 2;\n");
    expect(statuses(await ws.runJson())).toEqual({ "c:build": "ran" });
    expect(ws.read("out/y.txt")).toBe("2");
    expect(statuses(await ws.runJson())).toEqual({ "c:build": "cached" });
  });

  it.each([
    ["a template", "import(`./helpers/${ctx.params.which}.js`)"],
    ["a sum", `import("./helpers/" + ctx.params.which + ".js")`],
  ])("refuses an import of a local module by a path built as %s, pointing at it, since the key could not hold what it loads", async (_, importing) => {
    ws = workspace(importing);
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("error: stage.ts:4: stage c:build: its code imports a local module by a path computed as it runs, which the stage's key cannot hold");
    expect(out.stderr).toContain(`  4 |   const helper = (await ${importing}) as { value: number };\n`);
    expect(out.stderr).toMatch(/\n {30}\^{6}\n?$/); // under "import"
    expect(ws.exists("out/y.txt")).toBe(false);
  });
});
