/**
 * Experiments on the get-started example, through the CLI as a DVC user
 * runs them: a grid that leaves the committed state byte for byte, a table
 * of what each produced, a diff, a rerun that is all hits, a queue built two
 * at once, apply then a run that reruns nothing, gc keeping the results,
 * and a corrupt experiments.json refused. Ctrl-C is tried on a workspace
 * with a stage that sleeps.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exampleFiles, PYTHON_NUMPY } from "../fixtures/get-started-workspace.js";
import { SLOW_WORKSPACE } from "../fixtures/slow-workspace.js";
import { describeWith } from "../requirements.js";
import { git, statuses, Workspace } from "../rig.js";

interface Row {
  name: string;
  status: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  changed: string[];
}

interface Table {
  columns: { params: string[]; metrics: string[] };
  baseline: Row;
  experiments: Row[];
}

interface Recorded {
  name: string;
  status: string;
  stages: { id: string; status: string }[];
}

/** A digest of every file under the given workspace paths (files or folders), by path. */
function snapshot(ws: Workspace, paths: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string): void => {
    const full = join(ws.root, rel);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) for (const name of readdirSync(full)) walk(join(rel, name));
    else files[rel] = createHash("sha256").update(readFileSync(full)).digest("hex");
  };
  for (const path of paths) walk(path);
  return files;
}

/** The committed state: the lock, the params file and every output of the example. */
const COMMITTED = ["sluice.lock", "params.yaml", "data/prepared", "data/features", "model.npy", "eval"];

// A test here builds up to three variants of a four-stage pipeline, which takes longer than most tests on a busy machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

describeWith(PYTHON_NUMPY, "experiments on the get-started example", () => {
  let ws: Workspace;
  let committed: Record<string, string>;

  const show = async (): Promise<Table> => {
    const out = await ws.run(["exp", "show", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as Table;
  };
  const expRun = async (...args: string[]): Promise<{ queued: Recorded[]; experiments: Recorded[] }> => {
    const out = await ws.run(["exp", "run", "--json", ...args]);
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as { queued: Recorded[]; experiments: Recorded[] };
  };

  beforeAll(async () => {
    ws = new Workspace(exampleFiles(), { packageJson: false });
    const cold = await ws.runJson();
    expect(cold.code, cold.stderr).toBe(0);
    committed = snapshot(ws, COMMITTED);
  });
  afterAll(() => ws.dispose());

  it("builds a grid of three, leaving sluice.lock, params.yaml and every output byte-identical; exp show lists the metrics each produced", async () => {
    const ran = await expRun("--set", "featurize.max_features=20,50,100", "--jobs", "2");
    expect(ran.experiments.map((e) => [e.name, e.status])).toEqual([
      ["max_features-20", "done"],
      ["max_features-50", "done"],
      ["max_features-100", "done"],
    ]);
    // prepare's result is the workspace's own (a shared-cache hit); the rest was built for the variant.
    expect(Object.fromEntries(ran.experiments[0]?.stages.map((s) => [s.id, s.status]) ?? [])).toEqual({
      "getstarted:prepare": "restored",
      "getstarted:featurize": "ran",
      "getstarted:train": "ran",
      "getstarted:evaluate": "ran",
    });
    expect(snapshot(ws, COMMITTED)).toEqual(committed);
    expect(readdirSync(join(ws.root, "cache", "exp"))).toEqual([]);

    const table = await show();
    expect(table.baseline.params["params.yaml:featurize.max_features"]).toBe(200);
    expect(table.baseline.metrics).toEqual(
      Object.fromEntries(Object.entries(JSON.parse(ws.read("eval/metrics.json")) as object).map(([k, v]) => [`eval/metrics.json:${k}`, v])),
    );
    expect(table.experiments.map((e) => e.params["params.yaml:featurize.max_features"])).toEqual([20, 50, 100]);
    // Fewer features, a worse model: each experiment's metrics are its own, and marked as differing.
    const precision = table.experiments.map((e) => e.metrics["eval/metrics.json:avg_prec"] as number);
    expect(new Set(precision).size).toBe(3);
    expect(precision[0]).toBeLessThan(precision[2] as number);
    for (const e of table.experiments) expect(e.changed).toEqual(expect.arrayContaining(["params.yaml:featurize.max_features", "eval/metrics.json:avg_prec"]));

    const text = await ws.run(["exp", "show", "--sort", "avg_prec"]);
    const order = text.stdout.split("\n").map((l) => l.split(/\s+/)[0]).filter((n) => n?.startsWith("max_features"));
    expect(order).toEqual(["max_features-100", "max_features-50", "max_features-20"]);
    expect(text.stdout).toMatch(/max_features-20\s+done\s+20\*/);
    // The end of the metrics file's path names the column too, as the project's own folder sees it.
    const byPath = await ws.run(["exp", "show", "--sort", "metrics.json:avg_prec"]);
    expect(byPath.stdout).toBe(text.stdout);
  });

  it("diffs two experiments' params and metrics, with the change of each number", async () => {
    const out = await ws.run(["exp", "diff", "workspace", "max_features-20", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const diff = JSON.parse(out.stdout) as { params: { key: string; old: number; new: number; delta: number }[]; metrics: { key: string; old: number; new: number; delta: number }[] };
    expect(diff.params).toEqual([{ path: "params.yaml", key: "featurize.max_features", old: 200, new: 20, delta: -180, changed: true }]);
    expect(diff.metrics.map((m) => m.key).sort()).toEqual(["accuracy", "avg_prec", "roc_auc"]);
    for (const m of diff.metrics) expect(m.delta).toBeCloseTo(m.new - m.old, 10);
    const unknown = await ws.run(["exp", "diff", "workspace", "max_features-21"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no experiment named max_features-21");
  });

  it("overlays the workspace's plots with experiments' in plots diff, each series its own", async () => {
    const out = await ws.run(["plots", "diff", "workspace", "max_features-20", "max_features-100", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as { revisions: string[]; plots: { path: string; series: { revision: string; values: number[] }[] }[]; problems: string[] };
    expect(doc.revisions).toEqual(["workspace", "max_features-20", "max_features-100"]);
    expect(doc.problems).toEqual([]);
    const prc = doc.plots.find((p) => p.path === "eval/prc.json");
    expect(prc?.series.map((s) => s.revision)).toEqual(["workspace", "max_features-20", "max_features-100"]);
    // Each experiment's curve is its own model's, read through its run records: not the workspace's.
    const curves = new Set(prc?.series.map((s) => JSON.stringify(s.values)));
    expect(curves.size).toBe(3);
  });

  it("runs the same params again as cache hits only", async () => {
    const again = await expRun("--set", "featurize.max_features=50");
    expect(again.experiments[0]?.name).toBe("max_features-50-2");
    expect(again.experiments[0]?.stages.map((s) => s.status).filter((s) => s !== "restored" && s !== "cached")).toEqual([]);
  });

  it("queues a grid without building it, then builds the queue two at once", async () => {
    const history = ws.read("cache/history.jsonl");
    const queued = await expRun("--queue", "--set", "train.lr=0.1,0.2", "--name", "lr");
    expect(queued.queued.map((e) => e.name)).toEqual(["lr-1", "lr-2"]);
    expect(ws.read("cache/history.jsonl")).toBe(history);
    expect((await show()).experiments.filter((e) => e.status === "queued").map((e) => e.name)).toEqual(["lr-1", "lr-2"]);

    const all = await expRun("--run-all", "--jobs", "2");
    expect(all.experiments.map((e) => [e.name, e.status]).sort()).toEqual([["lr-1", "done"], ["lr-2", "done"]]);
    const table = await show();
    expect(table.experiments.filter((e) => e.name.startsWith("lr-")).map((e) => [e.params["params.yaml:train.lr"], e.status])).toEqual([[0.1, "done"], [0.2, "done"]]);
    expect(snapshot(ws, COMMITTED)).toEqual(committed);
  });

  it("keeps recorded experiments' results through gc, and drops them once removed", async () => {
    const gc = await ws.run(["gc", "--keep", "0"]);
    expect(gc.code, gc.stderr).toBe(0);
    const hits = await expRun("--set", "featurize.max_features=20");
    expect(hits.experiments[0]?.stages.map((s) => s.status).filter((s) => s !== "restored" && s !== "cached")).toEqual([]);

    expect(hits.experiments[0]?.name).toBe("max_features-20-2");
    const removed = await ws.run(["exp", "remove", "max_features-20", "max_features-20-2"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await ws.run(["gc", "--keep", "0"])).code).toBe(0);
    const rebuilt = await expRun("--set", "featurize.max_features=20");
    expect(rebuilt.experiments[0]?.stages.find((s) => s.id === "getstarted:featurize")?.status).toBe("ran");
  });

  it("apply refuses to overwrite an uncommitted params edit, then writes the params and restores the outputs: sluice run reruns nothing", async () => {
    git(ws, "init", "-q");
    git(ws, "add", "-A");
    git(ws, "commit", "-qm", "baseline");
    ws.edit("params.yaml", "max_features: 200", "max_features: 150");
    const refused = await ws.run(["exp", "apply", "max_features-50"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("would overwrite uncommitted edits of params.yaml:featurize.max_features");
    expect(ws.read("params.yaml")).toContain("max_features: 150");
    git(ws, "checkout", "--", "params.yaml");

    const before = ws.read("params.yaml");
    const applied = await ws.run(["exp", "apply", "max_features-50"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(ws.read("params.yaml")).toBe(before.replace("max_features: 200", "max_features: 50"));
    const experiment = (await show()).experiments.find((e) => e.name === "max_features-50") as Row;
    const metrics = JSON.parse(ws.read("eval/metrics.json")) as Record<string, number>;
    expect(Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`eval/metrics.json:${k}`, v]))).toEqual(experiment.metrics);

    const outputs = snapshot(ws, ["data/features", "model.npy", "eval"]);
    const next = await ws.runJson();
    expect(next.code, next.stderr).toBe(0);
    expect(new Set(Object.values(statuses(next)))).toEqual(new Set(["cached"]));
    expect(snapshot(ws, ["data/features", "model.npy", "eval"])).toEqual(outputs);
  });

  it("apply refuses an experiment built under other declarations, writing nothing", async () => {
    const declared = ws.read("pipeline.ts");
    ws.edit("pipeline.ts", '["train.epochs", "train.lr", "train.seed"]', '["train"]');
    const params = ws.read("params.yaml");
    // --force: the workspace holds the last apply's params, uncommitted; this refusal comes after that check.
    const refused = await ws.run(["exp", "apply", "max_features-20", "--force"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/experiment max_features-20 was built under other declarations: getstarted:train would now be keyed \w+, not \w+; build it again \(sluice exp run --set featurize.max_features=20\)/);
    expect(ws.read("params.yaml")).toBe(params);
    ws.write("pipeline.ts", declared);
  });

  it("refuses a corrupt experiments.json with exit 2 and a message naming it, changing nothing", async () => {
    const path = join(ws.root, "cache", "experiments.json");
    const good = readFileSync(path, "utf8");
    writeFileSync(path, '{"version": 1, "experiments": [{"name": "../escape"}]');
    for (const args of [["exp", "show"], ["exp", "run", "--set", "train.lr=0.3"], ["gc"]]) {
      const out = await ws.run(args);
      expect(out.code, args.join(" ")).toBe(2);
      expect(out.stderr).toContain(`${path} is not valid JSON`);
    }
    writeFileSync(path, JSON.stringify({ version: 1, experiments: [{ name: "../escape" }] }));
    const shape = await ws.run(["exp", "show"]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain("is not an experiments file: experiments.0.name");
    expect(readFileSync(path, "utf8")).toBe(JSON.stringify({ version: 1, experiments: [{ name: "../escape" }] }));
    writeFileSync(path, good);
  });
});

describe("Ctrl-C during exp run", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace(SLOW_WORKSPACE);
  });
  afterAll(() => ws.dispose());

  it("stops the build, exits 130 and records nothing of the interrupted experiment", async () => {
    const running = ws.start(["exp", "run", "--name", "slow-one"]);
    await running.waitFor("[slow-one] ran       p:first");
    running.child.kill("SIGINT");
    const out = await running.done;
    expect(out.code, out.stderr).toBe(130);
    expect(ws.exists("cache/experiments.json")).toBe(false);
    expect(ws.exists("cache/exp/slow-one")).toBe(false);
    expect(ws.exists("sluice.lock")).toBe(false);
    expect(ws.exists("slow.txt")).toBe(false);
  });
});
