/**
 * What the README says enters a stage key besides params, deps and cmd:
 * declared `env` values, `probes` output, the versions of the packages a
 * `run` stage's code imports, and an inline function's text. A change to
 * each reruns the stage; running again unchanged is a hit; a change to
 * something undeclared is not a rerun.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

const PIPELINE = `import { writeFileSync } from "node:fs";
import { defineProject, file } from "sluice";
import { usePackage } from "./use-package.js";

export default defineProject("k", (p) => {
  p.stage("env", { env: ["MODEL_FLAVOUR"], outs: { o: file("env.txt") }, cmd: 'echo "flavour $MODEL_FLAVOUR" > {outs.o}' });
  p.stage("probe", { probes: ['cat "$COUNTS/tool-version"'], outs: { o: file("probe.txt") }, cmd: "echo probed > {outs.o}" });
  p.stage("package", { outs: { o: file("package.txt") }, run: usePackage });
  p.stage("inline", {
    outs: { o: file("inline.txt") },
    run: (ctx: { outs: { o: string } }) => {
      writeFileSync(ctx.outs.o, "inline v1\\n");
    },
  });
});
`;

const USE_PACKAGE = `import { writeFileSync } from "node:fs";
import { answer } from "fake-lib";
export function usePackage(ctx: { outs: { o: string } }): void {
  writeFileSync(ctx.outs.o, String(answer) + "\\n");
}
`;

const fakeLib = (version: string) => JSON.stringify({ name: "fake-lib", version, type: "module", main: "index.js" });

let ws: Workspace;
beforeAll(() => {
  ws = new Workspace({
    "pipeline.ts": PIPELINE,
    "use-package.ts": USE_PACKAGE,
    "node_modules/fake-lib/package.json": fakeLib("1.0.0"),
    "node_modules/fake-lib/index.js": "export const answer = 42;\n",
  });
  setToolVersion("tool 1.0");
});
afterAll(() => ws.dispose());

/** The probe reads this file, as `python3 --version` would read the installed interpreter. */
function setToolVersion(text: string): void {
  ws.write("../counts/tool-version", `${text}\n`);
}

/** Runs one stage and returns its status. */
async function run(stage: string, env: Record<string, string> = {}): Promise<string | undefined> {
  const out = await ws.runJson([`k:${stage}`], { env });
  expect(out.code, out.stderr).toBe(0);
  return statuses(out)[`k:${stage}`];
}

describe("the stage key", () => {
  it("holds a declared env variable's value, and no undeclared one", async () => {
    expect(await run("env", { MODEL_FLAVOUR: "small" })).toBe("ran");
    expect(await run("env", { MODEL_FLAVOUR: "small", UNDECLARED: "x" })).toBe("cached");
    expect(await run("env", { MODEL_FLAVOUR: "large" })).toBe("ran");
    expect(ws.read("env.txt")).toBe("flavour large\n");
    expect(await run("env", { MODEL_FLAVOUR: "large" })).toBe("cached");
  });

  it("holds the output of the stage's probes", async () => {
    expect(await run("probe")).toBe("ran");
    expect(await run("probe")).toBe("cached");
    setToolVersion("tool 2.0");
    expect(await run("probe")).toBe("ran");
    expect(await run("probe")).toBe("cached");
  });

  it("holds the version of a package the stage's code imports", async () => {
    expect(await run("package")).toBe("ran");
    expect(await run("package")).toBe("cached");
    // Same code, new version: an upgrade may change what the code does.
    ws.write("node_modules/fake-lib/package.json", fakeLib("1.0.1"));
    expect(await run("package")).toBe("ran");
    expect(await run("package")).toBe("cached");
  });

  it("holds an inline function's text", async () => {
    expect(await run("inline")).toBe("ran");
    expect(await run("inline")).toBe("cached");
    ws.edit("pipeline.ts", "inline v1", "inline v2");
    expect(await run("inline")).toBe("ran");
    expect(ws.read("inline.txt")).toBe("inline v2\n");
    expect(await run("inline")).toBe("cached");
  });
});
