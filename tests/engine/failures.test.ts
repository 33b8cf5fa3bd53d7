import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { BIN, cliEnv, statuses, withStatus, Workspace } from "../rig.js";

const ROOT = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`;

/**
 *   source ─▶ broken ─▶ after
 *   side (independent)
 */
function files(brokenKind: "cmd" | "throw"): Record<string, string> {
  const broken =
    brokenKind === "cmd"
      ? `cmd: 'echo partial > {outs.y}; echo "about to fail" >&2; exit 1'`
      : `run: explode`;
  return {
    "pipeline.ts": ROOT,
    "projects/p/input.txt": "x\n",
    "projects/p/explode.ts": `import { writeFileSync } from "node:fs";
export function explode(ctx: { outs: { y: string } }): void {
  writeFileSync(ctx.outs.y, "partial");
  console.log("writing half an output");
  throw new Error("model diverged");
}
`,
    "projects/p/pipeline.ts": `import { defineProject, file, source } from "sluice";
import { explode } from "./explode.js";
export default defineProject("p", (p) => {
  const broken = p.stage("broken", { deps: { x: source("input.txt") }, outs: { y: file("out/broken.txt") }, ${broken} });
  p.stage("after", { deps: { x: broken.outs.y }, outs: { y: file("out/after.txt") }, cmd: "cp {deps.x} {outs.y}" });
  p.stage("side", { outs: { y: file("out/side.txt") }, cmd: 'sleep 0.5; echo side > {outs.y}' });
});
`,
  };
}

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

function recordCount(root: string): number {
  try {
    return readdirSync(join(root, "cache/records"), { recursive: true }).filter((f) => String(f).endsWith(".json")).length;
  } catch {
    return 0;
  }
}

describe("a failing stage", () => {
  for (const kind of ["cmd", "throw"] as const) {
    it(`(${kind}) fails the run with exit 1, skips downstream, and leaves no record or output`, async () => {
      ws = new Workspace(files(kind));
      const run = await ws.runJson(["--jobs", "1"]);
      expect(run.code).toBe(1);
      expect(run.ok).toBe(false);
      expect(statuses(run)["p:broken"]).toBe("failed");
      expect(statuses(run)["p:after"]).toBe("skipped");
      expect(run.stages.find((s) => s.id === "p:broken")?.reason).toMatch(kind === "cmd" ? /exit-non-zero: exited with code 1/ : /threw: model diverged/);
      expect(run.stderr).toContain(kind === "cmd" ? "about to fail" : "writing half an output");
      expect(ws.exists("projects/p/out/broken.txt")).toBe(false);
      expect(ws.exists("projects/p/out/after.txt")).toBe(false);
      const brokenKey = run.stages.find((s) => s.id === "p:broken")?.key;
      expect(ws.exists(`cache/records/${brokenKey?.slice(0, 2)}/${brokenKey}.json`)).toBe(false);
    });
  }

  it("with --keep-going still runs independent branches", async () => {
    ws = new Workspace(files("cmd"));
    const run = await ws.runJson(["--keep-going", "--jobs", "1"]);
    expect(run.code).toBe(1);
    expect(withStatus(run, "ran")).toEqual(["p:side"]);
    expect(ws.read("projects/p/out/side.txt")).toBe("side\n");
    expect(recordCount(ws.root)).toBe(1);
  });

  it("removes a stale output of an earlier success when the stage now fails", async () => {
    ws = new Workspace(files("cmd"));
    ws.edit("projects/p/pipeline.ts", "exit 1", "exit 0");
    expect((await ws.runJson()).code).toBe(0);
    expect(ws.exists("projects/p/out/broken.txt")).toBe(true);
    ws.edit("projects/p/pipeline.ts", "exit 0", "exit 1");
    expect((await ws.runJson()).code).toBe(1);
    expect(ws.exists("projects/p/out/broken.txt")).toBe(false);
  });

  it("fails a stage whose json output breaks its contract", async () => {
    ws = new Workspace({
      "pipeline.ts": ROOT,
      "projects/p/pipeline.ts": `import { defineProject, json } from "sluice";
import { z } from "zod";
export default defineProject("p", (p) => {
  p.stage("gate", { outs: { gate: json(z.object({ passed: z.boolean() })) }, cmd: "echo '{\\"passed\\":\\"yes\\"}' > {outs.gate}" });
});
`,
    });
    const run = await ws.runJson();
    expect(run.code).toBe(1);
    expect(run.stages[0]?.reason).toMatch(/contract-violation: json output "gate" \(projects\/p\/out\/gate\/gate\.json\) breaks its contract: ✖ Invalid input: expected boolean, received string → at passed/);
    expect(ws.exists("projects/p/out/gate/gate.json")).toBe(false);
  });

  it("fails a stage that does not write a declared output", async () => {
    ws = new Workspace({
      "pipeline.ts": ROOT,
      "projects/p/pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("p", (p) => {
  p.stage("lazy", { outs: { y: file("y.txt") }, cmd: "true" });
});
`,
    });
    const run = await ws.runJson();
    expect(run.stages[0]?.reason).toBe('missing-output: did not write file output "y" (projects/p/y.txt)');
  });

  it("never caches a run whose input changed while it ran", async () => {
    ws = new Workspace({
      "pipeline.ts": ROOT,
      "projects/p/input.txt": "before\n",
      "projects/p/pipeline.ts": `import { defineProject, file, source } from "sluice";
export default defineProject("p", (p) => {
  p.stage("slow", { deps: { x: source("input.txt") }, outs: { y: file("y.txt") }, cmd: "cp {deps.x} {outs.y}; echo after > {deps.x}" });
});
`,
    });
    const run = await ws.runJson();
    expect(run.code).toBe(1);
    expect(run.stages[0]?.reason).toMatch(/input-changed: input "x" \(projects\/p\/input\.txt\) changed while the stage ran/);
    expect(recordCount(ws.root)).toBe(0);
  });
});

describe("an external dep that cannot be read", () => {
  it("fails the stage that reads it with the reason, not the run; the rest still runs", async () => {
    ws = new Workspace({
      "pipeline.ts": ROOT,
      "projects/p/pipeline.ts": `import { defineProject, external, file } from "sluice";
export default defineProject("p", (p) => {
  const alias = external("registry:p@production", () => { throw new Error("registry/releases.jsonl is damaged"); });
  p.stage("reads", { deps: { alias }, outs: { y: file("out/reads.txt") }, cmd: "echo x > {outs.y}" });
  p.stage("side", { outs: { y: file("out/side.txt") }, cmd: "echo side > {outs.y}" });
});
`,
    });
    const run = await ws.runJson(["--keep-going"]);
    expect(run.code).toBe(1);
    expect(statuses(run)).toEqual({ "p:reads": "failed", "p:side": "ran" });
    expect(run.stages.find((s) => s.id === "p:reads")?.reason).toBe(
      'external-unavailable: dep "alias" (registry:p@production) could not be read: registry/releases.jsonl is damaged',
    );
    expect(run.stderr).not.toContain("internal error");
  });
});

describe("a stage whose effect lives outside the workspace", () => {
  it("runs again when its confirmHit says the effect is gone, and is a hit again after", async () => {
    ws = new Workspace({
      "pipeline.ts": ROOT,
      "projects/p/publish.ts": `import { writeFileSync } from "node:fs";
import { join } from "node:path";
export function publish(ctx: { outs: { y: string }; workspaceRoot: string }): void {
  writeFileSync(join(ctx.workspaceRoot, "published.txt"), "v1");
  writeFileSync(ctx.outs.y, "done");
}
`,
      "projects/p/pipeline.ts": `import { existsSync } from "node:fs";
import { join } from "node:path";
import { defineProject, file } from "sluice";
import { publish } from "./publish.js";
export default defineProject("p", (p) => {
  p.stage("publish", {
    outs: { y: file("out/published.txt") },
    run: publish,
    confirmHit: ({ workspaceRoot }) => (existsSync(join(workspaceRoot, "published.txt")) ? undefined : "published.txt is gone"),
  });
});
`,
    });
    expect(statuses(await ws.runJson())).toEqual({ "p:publish": "ran" });
    expect(statuses(await ws.runJson())).toEqual({ "p:publish": "cached" });
    rmSync(join(ws.root, "published.txt"));
    const rerun = await ws.runJson();
    expect(statuses(rerun)).toEqual({ "p:publish": "ran" });
    expect(rerun.stderr).toContain("p:publish: not reusing the cached result: published.txt is gone");
    expect(statuses(await ws.runJson())).toEqual({ "p:publish": "cached" });
  });
});

describe("a large --json document on a pipe", () => {
  it("reaches a slow reader whole before the process exits", async () => {
    ws = new Workspace({
      "pipeline.ts": ROOT,
      "projects/p/pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("p", (p) => {
  for (let i = 0; i < 1500; i++) p.stage(\`stage_with_a_long_name_\${i}\`, { outs: { y: file(\`out/\${i}.txt\`) }, cmd: "echo {outs.y}" });
});
`,
    });
    const child = spawn(process.execPath, [BIN, "dag", "--format", "json"], { cwd: ws.root, env: cliEnv(), stdio: ["ignore", "pipe", "ignore"] });
    const closed = new Promise((resolve) => child.on("close", resolve));
    // Read nothing at first: the pipe fills and the rest of the document waits in the child.
    await new Promise((resolve) => setTimeout(resolve, 500));
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    await closed;
    expect(text.length).toBeGreaterThan(128 * 1024);
    expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe("a reader that leaves before the output is written", () => {
  it("does not end the run with a broken-pipe crash: the run finishes, records, exits 0", async () => {
    ws = new Workspace({
      "pipeline.ts": ROOT,
      "projects/p/pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("p", (p) => {
  p.stage("a", { outs: { y: file("out/a.txt") }, cmd: "echo a > {outs.y}" });
});
`,
    });
    // Like `sluice run --json | head -c 0`: the read end is gone before the document is written.
    const running = ws.start(["run", "--json"]);
    running.child.stdout?.destroy();
    const { code, stderr } = await running.done;
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
    expect(JSON.parse(ws.read("sluice.lock")).stages).toHaveProperty(["p:a"]);
    expect(statuses(await ws.runJson())).toEqual({ "p:a": "cached" });
  });
});
