/**
 * GitHub Actions output of `sluice run`: with GITHUB_STEP_SUMMARY set, the
 * real CLI appends a Markdown job summary and prints an `::error` annotation
 * at the pipeline line of each failed stage; without it, neither appears.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

const PIPELINE = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/demo"] });
`;
// Line numbers matter: the failing stage is declared on line 9.
const PROJECT = `import { defineProject, file } from "sluice";
import { promote } from "./promote.js";

export default defineProject("demo", (p) => {
  p.stage("ok", { outs: { a: file("out/a.txt") }, cmd: "echo a > {outs.a}" });
  p.stage("promote", { outs: {}, run: promote });
  // The failing stage is next.

  p.stage("broken", {
    outs: { b: file("out/b.txt") },
    cmd: "echo 'model diverged: loss=nan | lr too high' && exit 3",
  });
});
`;
const PROMOTE = `export function promote(ctx: { decide: (d: Record<string, unknown>, o?: { held?: boolean }) => void }): void {
  ctx.decide({ project: "demo", release: "demo_v2", decision: "hold", failed: ["calibration", "auc_floor"] }, { held: true });
}
`;

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

describe("CI summaries", () => {
  it("appends a stage and decision table to GITHUB_STEP_SUMMARY and annotates the failed stage's pipeline line", async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE, "projects/demo/pipeline.ts": PROJECT, "projects/demo/promote.ts": PROMOTE });
    const summary = join(ws.counts, "summary.md");
    const env = { GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: ws.root };
    const out = await ws.runJson(["--keep-going"], { env });
    expect(out.code).toBe(1);
    expect(out.ok).toBe(false); // stdout is still exactly the --json document

    const text = readFileSync(summary, "utf8");
    expect(text).toContain("### ❌ sluice run:");
    expect(text).toMatch(/\| `demo:broken` \| ❌ failed: exit-non-zero: exited with code 3 \| \d+ ms \|/);
    expect(text).toMatch(/\| `demo:ok` \| ran \| \d+ ms \|/);
    expect(text).toMatch(/\| `demo:promote` \| ✋ held \|/);
    expect(text).toContain("| demo | demo_v2 | hold | `calibration`, `auc_floor` |");

    const annotations = out.stderr.split("\n").filter((l) => l.startsWith("::error"));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/^::error file=projects\/demo\/pipeline\.ts,line=9,title=sluice%3A demo%3Abroken failed::demo:broken failed \(exit-non-zero: exited with code 3\)%0A.*model diverged/);

    // A second run appends rather than replaces: a job may run sluice in several steps.
    const again = await ws.runJson(["demo:ok"], { env });
    expect(again.code).toBe(0);
    const both = readFileSync(summary, "utf8");
    expect(both.startsWith(text)).toBe(true);
    expect(both.slice(text.length)).toContain("### ✅ sluice run: 1 cached");
    expect(both.slice(text.length)).toContain("<details><summary>1 stage from the cache</summary>");
  });

  it("writes no summary and no annotations outside CI", async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE, "projects/demo/pipeline.ts": PROJECT, "projects/demo/promote.ts": PROMOTE });
    const out = await ws.runJson(["--keep-going"], { env: { GITHUB_STEP_SUMMARY: "", GITHUB_ACTIONS: "" } });
    expect(out.code).toBe(1);
    expect(out.stderr).not.toContain("::error");
  });
});
