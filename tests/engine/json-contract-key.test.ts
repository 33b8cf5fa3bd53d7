/**
 * A json output's zod contract is part of the keys: of the stage writing it
 * (its cached output may break a tightened contract) and of the stages
 * reading it (they receive what the contract parses the bytes to).
 */
import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

const files = (contract: string, transform = "") => ({
  "pipeline.ts": `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`,
  "projects/p/stats.ts": "export function stats() { return { stats: { rows: 2 } }; }\n",
  "projects/p/pipeline.ts": `import { defineProject, file, json } from "sluice";
import { z } from "zod";
import { stats } from "./stats.js";
export default defineProject("p", (p) => {
  const s = p.stage("stats", { outs: { stats: json(${contract}${transform}) }, run: stats });
  p.stage("show", { deps: { stats: s.outs.stats }, outs: { shown: file("shown.txt") }, cmd: "echo {deps.stats} > {outs.shown}" });
});
`,
});

describe("json contracts in the key", () => {
  it("reruns the writer when its contract is tightened, and fails it when the cached output breaks the new one", async () => {
    ws = new Workspace(files("z.object({ rows: z.number() })"));
    expect((await ws.runJson()).code).toBe(0);
    expect(statuses(await ws.runJson())).toEqual({ "p:stats": "cached", "p:show": "cached" });

    ws.edit("projects/p/pipeline.ts", "rows: z.number()", "rows: z.number().min(100)");
    const explained = await ws.run(["explain", "p:stats"]);
    expect(explained.stdout).toMatch(/out stats json:projects\/p\/out\/stats\/stats\.json#contract:\w+ -> json:projects\/p\/out\/stats\/stats\.json#contract:\w+/);
    const tightened = await ws.runJson();
    expect(tightened.code).toBe(1);
    expect(tightened.stages.find((s) => s.id === "p:stats")?.reason).toMatch(/^contract-violation: .*>=100/);
  });

  it("reruns a reader when the contract its dep is parsed by changes", async () => {
    ws = new Workspace(files("z.object({ rows: z.number() })"));
    expect((await ws.runJson()).code).toBe(0);
    ws.edit("projects/p/pipeline.ts", "rows: z.number()", "rows: z.number().int()");
    const run = await ws.runJson();
    expect(run.code, run.stderr).toBe(0);
    expect(statuses(run)).toEqual({ "p:stats": "ran", "p:show": "ran" });
  });

  it("keys alike before and after a contract has parsed values (zod caches into a lazy schema's definition as it parses)", async () => {
    const lazy = "z.lazy(() => z.object({ rows: z.number() }))";
    ws = new Workspace(files(lazy));
    expect((await ws.runJson()).code).toBe(0); // the writer's output was parsed in this process before the reader was keyed
    expect(statuses(await ws.runJson())).toEqual({ "p:stats": "cached", "p:show": "cached" });
  });
});
