/**
 * SIGKILL of the CLI at random points, then a rerun: after every kill the
 * cache is valid, and after every rerun the workspace's outputs equal, byte
 * for byte, those of a clean build of the same inputs.
 *
 * Where a kill lands is measured, not hoped for. One stage of each workload
 * is slow by design and writes `<trial> begin` / `<trial> end` to a marker
 * file outside the workspace; a kill landed inside that stage when its
 * `begin` is there and its `end` is not, read right after the kill (a cmd
 * stage's shell outlives the CLI, so a late `end` only makes the count
 * smaller, never larger). Half the trials kill at a random moment of the
 * whole run (loading, hashing, scheduling, recording); the other half wait
 * for the slow stage to announce itself and kill within its sleep. The test
 * reports how many kills landed inside the stage and fails if fewer than a
 * third did.
 */
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheProblems } from "../engine/integrity.js";
import { demoFiles, PROJECT } from "../fixtures/demo-workspace.js";
import { Workspace, type Running } from "../rig.js";
import { aliasMismatches, filesUnder, promotingWorkspace, verifyJson, type VerifyProblem } from "./registry-checks.js";

const TRIALS = 24;
/** Fewer: each of these trains, evaluates and registers a candidate, and then builds it again from scratch. */
const PROMOTING_TRIALS = 6;
/** How long the slow stage sleeps, and the longest a targeted kill waits after the stage announced itself. */
const STAGE_SLEEP_MS = 600;
const TARGET_WINDOW_MS = 300;
/** Fewer kills than this share inside a stage fail the test: by design about half land there. */
const MIN_IN_STAGE = 1 / 3;

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

const SEED = Number(process.env["SLUICE_TORTURE_SEED"] ?? 20261123);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the slow stage of `trial` had begun and not ended, per its marker file. */
function insideStage(markers: string, trial: number): boolean {
  const lines = existsSync(markers) ? readFileSync(markers, "utf8").split("\n") : [];
  return lines.includes(`${trial} begin`) && !lines.includes(`${trial} end`);
}

/**
 * Kills `running` at a moment chosen for `trial`: even trials anywhere in
 * the first `span` ms, odd trials within the slow stage once it printed
 * `announce`. Returns where the kill was aimed, for failure messages.
 */
async function killFor(running: Running, trial: number, random: () => number, span: number, announce: string): Promise<string> {
  let aim: string;
  if (trial % 2 === 0) {
    const delay = Math.floor(random() * span);
    await sleep(delay);
    aim = `${delay} ms after start`;
  } else {
    const delay = Math.floor(random() * TARGET_WINDOW_MS);
    await running.waitFor(announce).catch(() => undefined); // a run that ended first is killed too late: the count says so
    await sleep(delay);
    aim = `${delay} ms into the slow stage`;
  }
  running.child.kill("SIGKILL");
  await running.done;
  return aim;
}

/** The demo workspace with `report` slow: it writes half its output, sleeps, then the rest. */
function slowDemoFiles(): Record<string, string> {
  const fast = `cmd: 'echo run >> "$COUNTS/report"; cat {deps.features} {deps.stats} > {outs.report}',`;
  const slow =
    `cmd: 'echo "$TRIAL begin" >> "$COUNTS/report-markers"; echo report begins; echo run >> "$COUNTS/report"; ` +
    `cat {deps.features} > {outs.report}; sleep ${STAGE_SLEEP_MS / 1000}; cat {deps.stats} >> {outs.report}; echo "$TRIAL end" >> "$COUNTS/report-markers"',`;
  if (!PROJECT.includes(fast)) throw new Error("the demo fixture's report stage changed: update slowDemoFiles");
  return { ...demoFiles(), "projects/demo/pipeline.ts": PROJECT.replace(fast, slow) };
}

const OUTPUTS = ["data/raw.csv", "data/clean.csv", "data/features.csv", "out/stats/stats.json", "out/report.txt", "out/notes.txt"];

function demoOutputs(ws: Workspace): Record<string, string> {
  return Object.fromEntries(OUTPUTS.map((p) => [p, readFileSync(join(ws.root, "projects/demo", p), "utf8")]));
}

function setFactor(ws: Workspace, factor: number): void {
  ws.edit("projects/demo/pipeline.ts", /factor: \d+/.exec(ws.read("projects/demo/pipeline.ts"))?.[0] as string, `factor: ${factor}`);
}

describe("SIGKILL at random points", () => {
  const reference = new Workspace(slowDemoFiles());
  const ws = new Workspace(slowDemoFiles());
  afterAll(() => {
    reference.dispose();
    ws.dispose();
  });

  it(`leaves a valid cache after each of ${TRIALS} kills, and each rerun equals a clean build byte for byte`, async () => {
    const random = mulberry32(SEED);
    const markers = join(ws.counts, "report-markers");
    // Build everything once, then time a run of the per-trial work (features and the slow report).
    expect((await ws.runJson([], { env: { TRIAL: "-1" } })).code).toBe(0);
    setFactor(ws, 9);
    const started = performance.now();
    expect((await ws.runJson([], { env: { TRIAL: "-2" } })).code).toBe(0);
    const span = Math.ceil(performance.now() - started);

    let inStage = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      // A factor no earlier trial used, so features and report have work to interrupt (not a cache hit).
      const factor = 10 + trial;
      setFactor(ws, factor);
      const env = { TRIAL: String(trial) };
      const aim = await killFor(ws.start(["run", "--jobs", "2"], { env }), trial, random, span, "[demo:report] report begins");
      const inside = insideStage(markers, trial);
      if (inside) inStage++;
      const label = `trial ${trial} (killed ${aim}, ${inside ? "inside" : "outside"} the slow stage)`;
      expect(await cacheProblems(ws.root), label).toEqual([]);

      const rerun = await ws.runJson(["--jobs", "2"], { env });
      expect(rerun.code, `rerun after ${label}: ${rerun.stderr}`).toBe(0);
      setFactor(reference, factor);
      expect((await reference.runJson([], { env: { TRIAL: "reference" } })).code).toBe(0);
      expect(demoOutputs(ws), label).toEqual(demoOutputs(reference));
    }
    console.info(`kill-at-random: ${inStage} of ${TRIALS} kills landed inside a running stage (a full run of the trial's work: ${span} ms)`);
    expect(inStage, `kills inside a running stage (of ${TRIALS})`).toBeGreaterThanOrEqual(Math.ceil(TRIALS * MIN_IN_STAGE));
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

/** The promoting workspace with `train` slow: it writes the model, announces itself, sleeps, returns. */
function slowPromotingFiles(): Record<string, string> {
  const train = `import { appendFileSync, writeFileSync } from "node:fs";

const mark = (what: string) => appendFileSync(process.env["COUNTS"] + "/train-markers", process.env["TRIAL"] + " " + what + "\\n");

export async function trainCandidate(ctx: { params: { weights: string; warning: number }; outs: { model: string }; log: (...a: unknown[]) => void }) {
  mark("begin");
  ctx.log("train begins");
  writeFileSync(ctx.outs.model, "weights " + ctx.params.weights + "\\n");
  await new Promise((resolve) => setTimeout(resolve, ${STAGE_SLEEP_MS}));
  mark("end");
  return { policy: { thresholds: { warning: ctx.params.warning } } };
}
`;
  return { ...promotingWorkspace(), "projects/eta/train.ts": train };
}

/** Everything a run leaves in the project: its sources and every stage output. */
const projectFiles = (ws: Workspace) => filesUnder(ws.root, "projects/eta");

describe("SIGKILL at random points in a run that promotes", () => {
  const ws = new Workspace(slowPromotingFiles());
  const clean = new Workspace(slowPromotingFiles());
  afterAll(() => {
    ws.dispose();
    clean.dispose();
  });

  /**
   * A clean build of `args`: an empty cache and no outputs, against a copy
   * of `ws`'s registry (a candidate already registered gets its release
   * back, so the promote stage's decision is comparable byte for byte).
   */
  async function cleanBuild(args: readonly string[], trial: number): Promise<Record<string, string>> {
    for (const dir of ["cache", "registry", "projects/eta/data", "projects/eta/model", "projects/eta/out", "sluice.lock"]) {
      rmSync(join(clean.root, dir), { recursive: true, force: true });
    }
    cpSync(join(ws.root, "registry"), join(clean.root, "registry"), { recursive: true });
    const run = await clean.run(args, { env: { SLUICE_ACTOR: "ci", TRIAL: `clean-${trial}` } });
    expect(run.code, `clean build for trial ${trial}: ${run.stderr}`).toBe(0);
    return projectFiles(clean);
  }

  it(`keeps the cache valid and the registry chain intact through ${PROMOTING_TRIALS} kills, and each rerun equals a clean build byte for byte and passes sluice verify`, async () => {
    const random = mulberry32(SEED + 1);
    const markers = join(ws.counts, "train-markers");
    const started = performance.now();
    expect((await ws.run(["run", "--jobs", "2"], { env: { SLUICE_ACTOR: "ci", TRIAL: "-1" } })).code).toBe(0);
    const span = Math.ceil(performance.now() - started);

    let inStage = 0;
    for (let trial = 0; trial < PROMOTING_TRIALS; trial++) {
      // New weights every trial: train, evaluate and promote run, and promote appends to the registry.
      const args = ["run", "--jobs", "2", "--set", `eta:train.weights=k${trial}`];
      const env = { SLUICE_ACTOR: "ci", TRIAL: String(trial) };
      const aim = await killFor(ws.start(args, { env }), trial, random, span, "[eta:train] train begins");
      const inside = insideStage(markers, trial);
      if (inside) inStage++;
      const label = `trial ${trial} (killed ${aim}, ${inside ? "inside" : "outside"} the slow stage)`;
      expect(await cacheProblems(ws.root), label).toEqual([]);
      const afterKill = await verifyJson(ws);
      expect(afterKill.registry.filter((p) => !isCrashArtefact(p)), label).toEqual([]);

      const rerun = await ws.run(args, { env });
      expect(rerun.code, `rerun after ${label}: ${rerun.stderr}`).toBe(0);
      const verdict = await verifyJson(ws);
      expect(verdict.problems, `sluice verify after the rerun of ${label}`).toEqual([]);
      expect(verdict.code).toBe(0);
      expect(aliasMismatches(ws.root), label).toEqual([]);
      expect(projectFiles(ws), label).toEqual(await cleanBuild(args, trial));
    }
    console.info(`kill-at-random (promoting): ${inStage} of ${PROMOTING_TRIALS} kills landed inside a running stage (a first full run: ${span} ms)`);
    expect(inStage, `kills inside a running stage (of ${PROMOTING_TRIALS})`).toBeGreaterThanOrEqual(Math.ceil(PROMOTING_TRIALS * MIN_IN_STAGE));
  }, 600_000);
});
