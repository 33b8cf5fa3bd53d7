/**
 * The cache's one promise, checked differentially: after every `sluice run`
 * each output holds exactly what a from-scratch build of today's inputs
 * gives, and a stage runs exactly when the inputs it reads (bytes and
 * params) are ones it has never run on. Random sequences of edits hit the
 * stat cache where it is weakest: same-length rewrites with the old mtime
 * put back, identical rewrites, touches, reverts to earlier bytes, param
 * changes, deleted and hand-edited outputs.
 *
 * The from-scratch build runs the very same shell commands directly, in an
 * empty scratch folder holding only the current inputs: no sluice code, no
 * cache state, nothing shared with the workspace under test. (A fresh
 * sluice workspace per check would test the same thing at the price of a
 * whole CLI run per step; the commands are deterministic, so their result
 * is memoised per input tuple.)
 *
 * Most cases drive the real engine in-process, through the same entry the
 * CLI uses (`loadContext` + `runOnce` of the built modules), so hundreds of
 * cases fit in the time budget; a few cases drive the CLI binary itself.
 * Seeded: SLUICE_PROPERTY_SEED reproduces a failure, whose seed and path
 * fast-check prints.
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync, writeSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, statuses, Workspace } from "../rig.js";
import type { StageId } from "../../src/pipeline/index.js";

const SEED = Number(process.env["SLUICE_PROPERTY_SEED"] ?? 20261205);
/** A whole-second time long past: inputs carry it, so their mtime is never racy and can be put back exactly. */
const OLD = 1_577_836_800;

const STAGES = {
  a: { cmd: "(cat {deps.raw}; echo {params.p}) > {outs.o}", reads: ["raw.txt"] },
  b: { cmd: "cat {deps.raw} {deps.x} > {outs.o}", reads: ["raw.txt", "out/a.txt"] },
  c: { cmd: "wc -c < {deps.raw} > {outs.o}; cat {deps.other} >> {outs.o}", reads: ["raw.txt", "other.txt"] },
} as const;
type StageName = keyof typeof STAGES;
const NAMES = Object.keys(STAGES) as StageName[];

const PIPELINE = `import { defineProject, file, source } from "sluice";
export default defineProject("r", (p) => {
  const a = p.stage("a", { deps: { raw: source("raw.txt") }, params: { p: 0 }, outs: { o: file("out/a.txt") }, cmd: ${JSON.stringify(STAGES.a.cmd)} });
  p.stage("b", { deps: { raw: source("raw.txt"), x: a.outs.o }, outs: { o: file("out/b.txt") }, cmd: ${JSON.stringify(STAGES.b.cmd)} });
  p.stage("c", { deps: { raw: source("raw.txt"), other: source("other.txt") }, outs: { o: file("out/c.txt") }, cmd: ${JSON.stringify(STAGES.c.cmd)} });
});
`;

/** Input contents: mostly one length, so rewrites keep the size; one shorter. */
const CONTENTS = ["AAAA\n", "BBBB\n", "CCCC\n", "DD\n"];
const INITIAL = { "raw.txt": CONTENTS[0] as string, "other.txt": CONTENTS[1] as string };

type Input = "raw.txt" | "other.txt";
type Edit =
  | { kind: "write"; file: Input; content: string; keepMtime: boolean }
  | { kind: "touch"; file: Input }
  | { kind: "param"; p: number }
  | { kind: "delete-output"; stage: StageName }
  | { kind: "edit-output"; stage: StageName; content: string };

const input = fc.constantFrom<Input>("raw.txt", "other.txt");
const stage = fc.constantFrom<StageName>(...NAMES);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  // Weighted towards the stat cache's weak spot: same length, old mtime put back.
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("write" as const), file: input, content: fc.constantFrom(...CONTENTS), keepMtime: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("write" as const), file: input, content: fc.constantFrom(...CONTENTS), keepMtime: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("touch" as const), file: input }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("param" as const), p: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete-output" as const), stage }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("edit-output" as const), stage, content: fc.constantFrom("x\n", "hand edit\n") }) },
);
/** Steps of edits, each followed by a run (the first run builds from nothing). */
const steps = fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

/** What the property needs of a workspace: its folder and one `sluice run` with a value for a's param. */
interface Driver {
  readonly root: string;
  run(p: number): Promise<{ exitCode: number; statuses: Record<string, string> }>;
}

/** Writes in place (same inode), then stamps OLD when asked, as `cp -p` or `rsync -t --inplace` would. */
function writeInput(root: string, file: Input, content: string, keepMtime: boolean): void {
  const fd = openSync(join(root, file), "r+");
  ftruncateSync(fd, 0);
  writeSync(fd, content, 0);
  closeSync(fd);
  if (keepMtime) utimesSync(join(root, file), OLD, OLD);
}

/** The outputs a from-scratch build of these inputs gives: the same commands, run directly in an empty folder. */
const scratchBuilds = new Map<string, Record<StageName, string>>();
function fromScratch(raw: string, other: string, p: number): Record<StageName, string> {
  const id = JSON.stringify([raw, other, p]);
  const known = scratchBuilds.get(id);
  if (known) return known;
  const dir = mkdtempSync(join(tmpdir(), "sluice-scratch-"));
  try {
    mkdirSync(join(dir, "out"));
    writeFileSync(join(dir, "raw.txt"), raw);
    writeFileSync(join(dir, "other.txt"), other);
    const expand = (cmd: string, name: StageName) =>
      cmd.replaceAll("{deps.raw}", "raw.txt").replaceAll("{deps.x}", "out/a.txt").replaceAll("{deps.other}", "other.txt").replaceAll("{params.p}", String(p)).replaceAll("{outs.o}", `out/${name}.txt`);
    const built = {} as Record<StageName, string>;
    for (const name of NAMES) {
      execFileSync("/bin/sh", ["-c", expand(STAGES[name].cmd, name)], { cwd: dir });
      built[name] = readFileSync(join(dir, "out", `${name}.txt`), "utf8");
    }
    scratchBuilds.set(id, built);
    return built;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per stage, the input tuples it has run on: a run record exists for exactly these. */
type Seen = Record<StageName, Set<string>>;

function nothingSeen(): Seen {
  return { a: new Set(), b: new Set(), c: new Set() };
}

/**
 * Runs one case: puts back the initial inputs, removes the outputs, then
 * plays the steps. `seen` says which runs the cache holds: a fresh one
 * empties the cache first; one carried over from earlier cases keeps it
 * (cheaper, and hits on records of other cases are the hits to doubt).
 */
async function playCase(driver: Driver, plan: Edit[][], seen: Seen): Promise<void> {
  const { root } = driver;
  if (NAMES.every((name) => seen[name].size === 0)) rmSync(join(root, "cache"), { recursive: true, force: true });
  rmSync(join(root, "out"), { recursive: true, force: true });
  for (const [file, content] of Object.entries(INITIAL)) {
    writeFileSync(join(root, file), content);
    utimesSync(join(root, file), OLD, OLD);
  }
  const state = { ...INITIAL, p: 0 };
  const history: string[] = [];
  for (const [index, edits] of [[], ...plan].entries()) {
    for (const e of edits) {
      switch (e.kind) {
        case "write":
          writeInput(root, e.file, e.content, e.keepMtime);
          state[e.file] = e.content;
          break;
        case "touch":
          utimesSync(join(root, e.file), new Date(), new Date());
          break;
        case "param":
          state.p = e.p;
          break;
        case "delete-output":
          rmSync(join(root, "out", `${e.stage}.txt`), { force: true });
          break;
        case "edit-output":
          if (existsSync(join(root, "out", `${e.stage}.txt`))) writeFileSync(join(root, "out", `${e.stage}.txt`), e.content);
          break;
      }
    }
    history.push(`step ${index}: ${JSON.stringify(edits)}`);
    const result = await driver.run(state.p);
    const expected = fromScratch(state["raw.txt"], state["other.txt"], state.p);
    const context = `${history.join("\n")}\nstatuses ${JSON.stringify(result.statuses)}`;
    expect(result.exitCode, context).toBe(0);
    const tuples: Record<StageName, string> = {
      a: JSON.stringify([state["raw.txt"], state.p]),
      b: JSON.stringify([state["raw.txt"], expected.a]),
      c: JSON.stringify([state["raw.txt"], state["other.txt"]]),
    };
    for (const name of NAMES) {
      expect(readFileSync(join(root, "out", `${name}.txt`), "utf8"), `out/${name}.txt after\n${context}`).toBe(expected[name]);
      // Runs exactly on inputs never run before: no false hit, no needless rerun.
      const ran = result.statuses[`r:${name}`] === "ran";
      expect(ran, `r:${name} ran? after\n${context}`).toBe(!seen[name].has(tuples[name]));
      seen[name].add(tuples[name]);
    }
  }
}

function workspaceFiles(): Record<string, string> {
  return { "pipeline.ts": PIPELINE, ...INITIAL };
}

describe("differential: every run gives what a from-scratch build of the current inputs gives", () => {
  describe("the engine in-process", () => {
    let ws: Workspace;
    let driver: Driver;
    beforeAll(async () => {
      ws = new Workspace(workspaceFiles());
      // The built modules, as bin/sluice.js runs them; the pipeline is loaded once and reused by every case.
      const { loadContext } = (await import(join(REPO, "dist/src/cli/context.js"))) as typeof import("../../src/cli/context.js");
      const { runOnce } = (await import(join(REPO, "dist/src/ops/index.js"))) as typeof import("../../src/ops/index.js");
      const { EXIT } = (await import(join(REPO, "dist/src/cli/exit-code.js"))) as typeof import("../../src/cli/exit-code.js");
      const context = await loadContext({ cwd: ws.root, json: true });
      if (!context) throw new Error("the property's pipeline did not load");
      driver = {
        root: ws.root,
        run: async (p) => {
          // The run's report goes to stdout and stderr; the property reads the result instead.
          const { stdout, stderr } = process;
          const writes = [stdout.write, stderr.write];
          stdout.write = stderr.write = (() => true) as typeof stdout.write;
          try {
            const overrides = { inline: new Map([["r:a" as StageId, { p }]]), files: new Map<string, string>() };
            const request = { targets: [], jobs: 2, keepGoing: true, force: undefined, dryRun: false, overrides, resources: {}, failOnHold: false, wait: true };
            const outcome = await runOnce(context, request, {}, new AbortController());
            if (!outcome.ok) throw new Error(`run refused its options: ${outcome.error.message}`);
            const { build, failure } = outcome.value;
            return { exitCode: EXIT[failure?.kind ?? "ok"], statuses: Object.fromEntries(build.results.map((r) => [r.id, r.status])) };
          } finally {
            [stdout.write, stderr.write] = writes as [typeof stdout.write, typeof stderr.write];
          }
        },
      };
    });
    afterAll(() => ws?.dispose());

    it("holds for hundreds of random edit sequences", async () => {
      // One cache for every case, as a long-lived workspace has: the seen runs are carried along.
      const seen = nothingSeen();
      await fc.assert(
        fc.asyncProperty(steps, (plan) => playCase(driver, plan, seen)),
        { numRuns: Number(process.env["SLUICE_PROPERTY_RUNS"] ?? 200), seed: SEED },
      );
    }, 120_000);
  });

  describe("the CLI", () => {
    let ws: Workspace;
    beforeAll(() => {
      ws = new Workspace(workspaceFiles());
    });
    afterAll(() => ws?.dispose());

    it("holds for a few random edit sequences run by the sluice binary", async () => {
      const driver: Driver = {
        root: ws.root,
        run: async (p) => {
          const out = await ws.runJson(["--set", `r:a.p=${p}`]);
          return { exitCode: out.code ?? -1, statuses: statuses(out) };
        },
      };
      await fc.assert(
        fc.asyncProperty(steps, (plan) => playCase(driver, plan, nothingSeen())),
        { numRuns: 2, seed: SEED },
      );
    }, 120_000);
  });
});
