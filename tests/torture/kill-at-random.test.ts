import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheProblems } from "../engine/integrity.js";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { Workspace } from "../rig.js";
import { aliasMismatches, promotingWorkspace, verifyJson, type VerifyProblem } from "./registry-checks.js";

const TRIALS = 100;
/** Fewer: each of these runs trains, evaluates and registers a candidate. */
const PROMOTING_TRIALS = 15;
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

/**
 * What a SIGKILL in the middle of a registry write may leave, and nothing
 * else (file-backend.ts): an unfinished last line, a head record behind
 * the log (line 0 before the first append: a missing head is never a crash
 * left-over), alias files behind the log. Each is repaired by the next
 * registry transaction; a broken chain or a bad line never appears.
 */
function isCrashArtefact(problem: VerifyProblem): boolean {
  switch (problem.reason) {
    case "torn-line":
    case "alias-file-stale":
    case "alias-file-missing":
      return true;
    case "head-mismatch": {
      const counts = /head record names line (\d+) but the log has (\d+) lines/.exec(problem.message);
      return counts !== null && Number(counts[1]) < Number(counts[2]);
    }
    default:
      return false;
  }
}

describe("SIGKILL at random points in a run that promotes", () => {
  const ws = new Workspace(promotingWorkspace());
  afterAll(() => ws.dispose());

  it(`keeps the cache valid and the registry chain intact through ${PROMOTING_TRIALS} kills, and a clean rerun passes sluice verify`, async () => {
    const random = mulberry32(Number(process.env["SLUICE_TORTURE_SEED"] ?? 20261123) + 1);
    for (let trial = 0; trial < PROMOTING_TRIALS; trial++) {
      // New weights every trial: train, evaluate and promote run, and promote appends to the registry.
      const args = ["run", "--jobs", "2", "--set", `eta:train.weights=k${trial}`];
      const running = ws.start(args, { env: { SLUICE_ACTOR: "ci" } });
      const delay = Math.floor(random() * 2500);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running.child.kill("SIGKILL");
      await running.done;
      const label = `trial ${trial} (killed after ${delay} ms)`;
      expect(await cacheProblems(ws.root), label).toEqual([]);
      const afterKill = await verifyJson(ws);
      expect(afterKill.registry.filter((p) => !isCrashArtefact(p)), label).toEqual([]);

      if (trial % 5 === 4) {
        const rerun = await ws.run(args, { env: { SLUICE_ACTOR: "ci" } });
        expect(rerun.code, `rerun after ${label}: ${rerun.stderr}`).toBe(0);
        const verdict = await verifyJson(ws);
        expect(verdict.problems, `sluice verify after the rerun of ${label}`).toEqual([]);
        expect(verdict.code).toBe(0);
        expect(aliasMismatches(ws.root), label).toEqual([]);
      }
    }
  }, 300_000);
});
