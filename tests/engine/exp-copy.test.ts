/**
 * What an experiment's copy of the workspace holds: a folder git ignores
 * and no stage declares anything in (a `.venv`) is linked, not copied;
 * an ignored folder a stage reads from or writes to is the copy's own.
 */
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

describe("an experiment's copy of the workspace", () => {
  it("links a folder git ignores that holds nothing declared, and copies one a stage reads", async () => {
    ws = new Workspace({
      ".gitignore": "/cache/\n/.venv/\n/raw/\n/out/\n",
      "pipeline.ts": `import { defineProject, file, runFrom, source } from "sluice";
export default defineProject("c", (p) => {
  p.stage("look", { deps: { raw: source("raw/data.txt") }, params: { n: 1 }, outs: { seen: file("out/seen.txt") }, run: runFrom(() => import("./look.js"), "look") });
});
`,
      // A run function reads the copy as it is (a command would see only its declared deps).
      "look.ts": `import { lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
export function look(ctx: { deps: { raw: string }; outs: { seen: string } }) {
  const linked = (path: string) => (lstatSync(path).isSymbolicLink() ? "linked" : "copied");
  mkdirSync(dirname(ctx.outs.seen), { recursive: true });
  writeFileSync(ctx.outs.seen, \`venv \${linked(".venv")}\\nraw \${linked("raw")}\\n\${readFileSync(ctx.deps.raw, "utf8")}\`);
}
`,
      ".venv/bin/python": "#!/bin/sh\n",
      "raw/data.txt": "rows\n",
    });
    spawnSync("git", ["init", "-q"], { cwd: ws.root });
    const experiment = await ws.run(["exp", "run", "--set", "c:look.n=2", "--name", "e1"]);
    expect(experiment.code, experiment.stderr).toBe(0);
    // The experiment's output, restored by a run of the same variant from the shared cache.
    const restored = await ws.runJson(["--set", "c:look.n=2"]);
    expect(restored.stages.map((s) => s.status)).toEqual(["restored"]);
    expect(ws.read("out/seen.txt")).toBe("venv linked\nraw copied\nrows\n");
    expect(ws.read(".venv/bin/python")).toBe("#!/bin/sh\n");
  });
});
