import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

const FILES = {
  "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("h", (p) => {
  p.stage("a", { params: { n: 1 }, outs: { y: file("a.txt") }, cmd: "echo {params.n} > {outs.y}" });
});
`,
};

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

const git = (root: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: root, encoding: "utf8" }).trim();

async function recordedCommits(w: Workspace): Promise<(string | undefined)[]> {
  const out = await w.run(["runs", "h:a", "--json"]);
  return (JSON.parse(out.stdout) as { runs: { commit?: string }[] }).runs.map((r) => r.commit);
}

describe("the run history's git commit", () => {
  it("is the commit the workspace was at when each run executed", async () => {
    ws = new Workspace(FILES);
    git(ws.root, "init", "-q");
    git(ws.root, "add", "pipeline.ts");
    git(ws.root, "commit", "-q", "-m", "first");
    const first = git(ws.root, "rev-parse", "HEAD");
    expect((await ws.runJson()).code).toBe(0);
    ws.edit("pipeline.ts", "n: 1", "n: 2");
    git(ws.root, "commit", "-q", "-am", "second");
    const second = git(ws.root, "rev-parse", "HEAD");
    expect((await ws.runJson()).code).toBe(0);
    expect(await recordedCommits(ws)).toEqual([first, second]);
  });

  it("is absent outside a repository", async () => {
    ws = new Workspace(FILES);
    expect((await ws.runJson()).code).toBe(0);
    expect(await recordedCommits(ws)).toEqual([undefined]);
  });
});
