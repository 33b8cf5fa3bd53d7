import { afterEach, describe, expect, it } from "vitest";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { Workspace, type Running } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

/** The stages reported as `status` in watch cycle `n` (1-based; cycles end with "watching"). */
function cycle(running: Running, n: number, status: string): string[] {
  const segment = running.stderr().split(/watching .* for changes/)[n - 1] ?? "";
  return [...segment.matchAll(new RegExp(`^${status} +(\\S+)`, "gm"))].map((m) => m[1] as string).sort();
}

describe("sluice watch", () => {
  it("reruns only affected stages, survives a failing stage, never triggers on its own outputs or files no stage reads, and exits 130 on Ctrl-C", async () => {
    ws = new Workspace(demoFiles());
    const watching = ws.start(["watch"]);
    await watching.waitFor("watching", 1);
    expect(cycle(watching, 1, "ran")).toHaveLength(6);

    ws.edit("projects/demo/pipeline.ts", "factor: 2", "factor: 4");
    await watching.waitFor("watching", 2);
    expect(cycle(watching, 2, "ran")).toEqual(["demo:features", "demo:report"]);

    ws.write("projects/demo/scale.ts", 'export function scale(): number { throw new Error("bad helper"); }\n');
    await watching.waitFor("watching", 3);
    expect(cycle(watching, 3, "failed")).toEqual(["demo:features"]);

    ws.write("projects/demo/scale.ts", "export function scale(: number) {}\n"); // does not even parse
    await watching.waitFor("watching", 4);
    expect(watching.stderr().split(/watching .* for changes/)[3]).toContain("error: cannot load");

    ws.write("projects/demo/scale.ts", "export function scale(value: number, factor: number): number { return value * factor; }\n");
    await watching.waitFor("watching", 5);
    // features' output equals cycle 2's again, so report is a hit: content addressing cuts the rerun short.
    expect(cycle(watching, 5, "ran")).toEqual(["demo:features"]);
    expect(watching.stderr().split(/watching .* for changes/)[4]).toContain("5 cached");

    // Files no stage reads: notes beside the pipeline, a scratch file in the project.
    ws.write("NOTES.md", "what I tried today\n");
    ws.write("projects/demo/scratch.txt", "not declared anywhere\n");
    // Give a cycle triggered by those or by our own outputs the chance to show up; none may.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    watching.child.kill("SIGINT");
    const out = await watching.done;
    expect(out.stderr.split(/watching .* for changes/).length - 1).toBe(5);
    expect(out.code).toBe(130);
    expect(ws.count("ingest")).toBe(1);
  });

  it("watches a source declared while it runs from the next cycle on", async () => {
    ws = new Workspace(demoFiles());
    const watching = ws.start(["watch", "demo:other"]);
    await watching.waitFor("watching", 1);
    ws.write("projects/demo/extra.txt", "one\n");
    ws.edit("projects/demo/pipeline.ts", 'p.stage("other", {', 'p.stage("extra", { deps: { x: source("extra.txt") }, outs: { y: file("data/extra.txt") }, cmd: "cp {deps.x} {outs.y}" });\n  p.stage("other", {');
    await watching.waitFor("watching", 2);
    ws.write("projects/demo/extra.txt", "two\n");
    await watching.waitFor("watching", 3);
    watching.child.kill("SIGINT");
    expect((await watching.done).code).toBe(130);
  });
});
