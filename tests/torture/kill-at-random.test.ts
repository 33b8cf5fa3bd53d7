import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheProblems } from "../engine/integrity.js";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { Workspace } from "../rig.js";

const TRIALS = 100;
const OUTPUTS = [
  "projects/demo/data/raw.csv",
  "projects/demo/data/clean.csv",
  "projects/demo/data/features.csv",
  "projects/demo/out/stats/stats.json",
  "projects/demo/out/report.txt",
  "projects/demo/out/notes.txt",
];

/** A seeded generator, so a failing trial can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outputs(ws: Workspace): Record<string, string> {
  return Object.fromEntries(OUTPUTS.map((p) => [p, readFileSync(join(ws.root, p), "utf8")]));
}

describe("SIGKILL at random points", () => {
  const reference = new Workspace(demoFiles());
  const ws = new Workspace(demoFiles());
  afterAll(() => {
    reference.dispose();
    ws.dispose();
  });

  it(`leaves a valid cache after each of ${TRIALS} kills, and a rerun reproduces a clean run byte for byte`, async () => {
    const random = mulberry32(Number(process.env["SLUICE_TORTURE_SEED"] ?? 20261123));
    const expected = new Map<number, Record<string, string>>();
    for (let trial = 0; trial < TRIALS; trial++) {
      // Vary a param so every trial has real work to interrupt (features, report).
      const factor = 2 + (trial % 4);
      ws.edit("projects/demo/pipeline.ts", /factor: \d+/.exec(ws.read("projects/demo/pipeline.ts"))?.[0] as string, `factor: ${factor}`);
      const running = ws.start(["run", "--jobs", "2"]);
      const delay = Math.floor(random() * 900);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running.child.kill("SIGKILL");
      await running.done;
      const problems = await cacheProblems(ws.root);
      expect(problems, `trial ${trial} (killed after ${delay} ms)`).toEqual([]);

      if (trial % 10 === 9) {
        const rerun = await ws.runJson(["--jobs", "2"]);
        expect(rerun.code, `rerun after trial ${trial}: ${rerun.stderr}`).toBe(0);
        if (!expected.has(factor)) {
          reference.edit("projects/demo/pipeline.ts", /factor: \d+/.exec(reference.read("projects/demo/pipeline.ts"))?.[0] as string, `factor: ${factor}`);
          expect((await reference.runJson()).code).toBe(0);
          expected.set(factor, outputs(reference));
        }
        expect(outputs(ws)).toEqual(expected.get(factor));
      }
    }
  }, 600_000);
});
