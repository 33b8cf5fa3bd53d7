/**
 * The DVC-style example (examples/get-started) driven through the CLI as a
 * DVC user would: unmodified scripts that open params.yaml, a params edit
 * that reruns exactly its stages, `--set` reaching the script, and diffs of
 * params, metrics and plots against a git commit.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleFiles, PYTHON_NUMPY } from "../fixtures/get-started-workspace.js";
import { describeWith } from "../requirements.js";
import { git, statuses, Workspace } from "../rig.js";

describeWith(PYTHON_NUMPY, "the get-started example", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace(exampleFiles(), { packageJson: false });
  });
  afterAll(() => ws.dispose());

  it("runs cold: four stages, a metrics file inside the evaluate stage's directory output", async () => {
    const cold = await ws.runJson();
    expect(cold.code, cold.stderr).toBe(0);
    expect(statuses(cold)).toEqual({
      "getstarted:prepare": "ran",
      "getstarted:featurize": "ran",
      "getstarted:train": "ran",
      "getstarted:evaluate": "ran",
    });
    expect(Object.keys(JSON.parse(ws.read("eval/metrics.json")) as object).sort()).toEqual(["accuracy", "avg_prec", "roc_auc"]);
  });

  it("reruns exactly featurize, train and evaluate when featurize.max_features is edited, and explain names the key", async () => {
    ws.edit("params.yaml", "max_features: 200", "max_features: 100");
    const explain = await ws.run(["explain", "getstarted:featurize"]);
    expect(explain.stdout).toContain("params.yaml:featurize.max_features 200 -> 100");
    const rerun = await ws.runJson();
    expect(statuses(rerun)).toEqual({
      "getstarted:prepare": "cached",
      "getstarted:featurize": "ran",
      "getstarted:train": "ran",
      "getstarted:evaluate": "ran",
    });
  });

  it("reruns nothing when a key no stage names is edited or added", async () => {
    ws.edit("params.yaml", "train:", "notes:\n  owner: someone\n\ntrain:");
    const after = await ws.runJson();
    expect(new Set(Object.values(statuses(after)))).toEqual(new Set(["cached"]));
  });

  it("hands a --set value to the script that opens params.yaml, records it, and leaves the workspace's file alone", async () => {
    const before = ws.read("params.yaml");
    const lock = ws.read("sluice.lock");
    const variant = await ws.run(["run", "--set", "featurize.max_features=7"]);
    expect(variant.code, variant.stderr).toBe(0);
    expect(variant.stderr).toContain("[getstarted:featurize] 7 features");
    expect(ws.read("params.yaml")).toBe(before);
    expect(ws.read("sluice.lock")).toBe(lock);
    const runs = JSON.parse((await ws.run(["runs", "getstarted:featurize", "--json"])).stdout) as { runs: { params: Record<string, unknown> }[] };
    expect(runs.runs.at(-1)?.params["params.yaml:featurize.max_features"]).toBe(7);
    // Back on the declared values: the declared results are hits again.
    const back = await ws.runJson();
    expect(new Set(Object.values(statuses(back)))).toEqual(new Set(["cached", "restored"]));
  });

  it("diffs params and metrics against a commit: params diff HEAD names the edited key, metrics diff HEAD the changed numbers", async () => {
    git(ws, "init", "-q");
    git(ws, "add", "-A");
    git(ws, "commit", "-qm", "baseline");
    const committed = JSON.parse(ws.read("eval/metrics.json")) as Record<string, number>;
    ws.edit("params.yaml", "max_features: 100", "max_features: 5");

    const params = await ws.run(["params", "diff", "HEAD", "--json"]);
    expect(params.code, params.stderr).toBe(0);
    expect(JSON.parse(params.stdout)).toEqual({
      a: "HEAD",
      b: "workspace",
      params: [{ path: "params.yaml", key: "featurize.max_features", old: 100, new: 5, delta: -95, changed: true }],
      problems: [],
    });

    expect((await ws.runJson()).code).toBe(0);
    const now = JSON.parse(ws.read("eval/metrics.json")) as Record<string, number>;
    const metrics = await ws.run(["metrics", "diff", "HEAD", "--json", "--all"]);
    expect(metrics.code, metrics.stderr).toBe(0);
    const rows = (JSON.parse(metrics.stdout) as { metrics: { key: string; old: number; new: number; changed: boolean }[] }).metrics;
    expect(Object.fromEntries(rows.map((r) => [r.key, [r.old, r.new]]))).toEqual(
      Object.fromEntries(Object.keys(committed).map((k) => [k, [committed[k], now[k]]])),
    );
    expect(rows.some((r) => r.changed)).toBe(true);

    const table = await ws.run(["metrics", "diff", "--md", "--all"]);
    expect(table.stdout).toContain("| Path | Key | HEAD | workspace | Change |");
    expect(table.stdout).toContain(`| eval/metrics.json | roc_auc | ${committed["roc_auc"]} | ${now["roc_auc"]} |`);
  });

  it("overlays the committed and the current precision-recall curve: plots diff HEAD", async () => {
    const out = await ws.run(["plots", "diff", "HEAD", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as { plots: { path: string; x: string; series: { revision: string; y: string; values: number[] }[] }[]; problems: string[] };
    expect(doc.problems).toEqual([]);
    expect(doc.plots.map((p) => [p.path, p.x, p.series.map((s) => `${s.revision}:${s.y}`)])).toEqual([
      ["eval/prc.json", "recall", ["HEAD:precision", "workspace:precision"]],
    ]);
    const [head, now] = doc.plots[0]!.series;
    expect(head!.values).not.toEqual(now!.values);
  });

  it("refuses a key the params file does not hold, naming the stage and the nearest key (exit 2)", async () => {
    ws.edit("pipeline.ts", '"featurize.ngrams"]', '"featurize.ngram"]');
    const out = await ws.run(["run"]);
    ws.edit("pipeline.ts", '"featurize.ngram"]', '"featurize.ngrams"]');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("getstarted:featurize");
    expect(out.stderr).toContain('params file params.yaml has no key "featurize.ngram" (did you mean "featurize.ngrams"?)');
  });
});
