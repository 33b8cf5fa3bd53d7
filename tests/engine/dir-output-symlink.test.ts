import { afterAll, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";
import { teamFiles } from "../team/team-workspace.js";

/**
 * A symlink inside a directory output cannot be stored (objects are bytes),
 * so it would vanish on the first restore: the stage fails instead, saying
 * which output and link, and what to do.
 */
describe("directory outputs holding symlinks", () => {
  const workspaces: Workspace[] = [];
  afterAll(() => {
    for (const ws of workspaces) ws.dispose();
  });

  it("fails the stage, naming the output and the link, and leaves no output behind", async () => {
    const ws = new Workspace(teamFiles());
    workspaces.push(ws);
    ws.edit("projects/demo/pipeline.ts", "echo part > {outs.parts}/sub/b.txt", "echo part > {outs.parts}/sub/b.txt; ln -s ../a.csv {outs.parts}/sub/link.csv");
    const run = await ws.runJson(["demo:parts"]);
    expect(run.code).toBe(1);
    expect(statuses(run)["demo:parts"]).toBe("failed");
    const line = run.stages.find((s) => s.id === "demo:parts");
    expect(line?.reason).toBe(
      'unstorable-output: directory output "parts" (projects/demo/data/parts) holds "projects/demo/data/parts/sub/link.csv", a symlink (-> ../a.csv), which the cache cannot store: copy the file into the folder instead of linking it, or declare what it points to as a dep of the stages that read it',
    );
    expect(ws.exists("projects/demo/data/parts")).toBe(false);
  });
});
