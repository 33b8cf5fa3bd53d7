/**
 * Params files and metrics outputs with plain shell stages (no Python): what
 * a stage sees of its params file, what enters its key, what a definition
 * error says, and how metrics are found in the workspace and in a commit.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

const ROOT = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`;

function project(stages: string, files: Record<string, string> = {}): Record<string, string> {
  return {
    "pipeline.ts": ROOT,
    "projects/p/params.yaml": "train:\n  lr: 0.1\n  epochs: 3\nfeaturize:\n  n: 5\nnotes: keep\n",
    "projects/p/pipeline.ts": `import { defineProject, dir, file, metrics, paramsFrom, source } from "sluice";
export default defineProject("p", (p) => {
${stages}
});
`,
    ...files,
  };
}

const TRAIN = `  p.stage("train", {
    paramsFiles: [paramsFrom("params.yaml", ["train.lr"])],
    outs: { seen: file("seen.yaml") },
    cmd: "cat params.yaml > {outs.seen}; echo tampered > params.yaml",
  });`;

describe("params files", () => {
  it("hands a cmd a params file holding only the keys it names, and what it does to its copy never reaches the workspace", async () => {
    ws = new Workspace(project(TRAIN));
    const run = await ws.runJson();
    expect(run.code, run.stderr).toBe(0);
    expect(ws.read("projects/p/seen.yaml")).toBe("train:\n  lr: 0.1\n");
    expect(ws.read("projects/p/params.yaml")).toContain("epochs: 3");
    expect((run.stages[0] as { warnings?: string[] }).warnings ?? []).toEqual([]);
  });

  it("keys a stage on the named keys' values only: another key's edit is a hit, the named key's edit a rerun", async () => {
    ws = new Workspace(project(TRAIN));
    expect((await ws.runJson()).code).toBe(0);
    ws.edit("projects/p/params.yaml", "epochs: 3", "epochs: 30");
    expect(statuses(await ws.runJson())).toEqual({ "p:train": "cached" });
    ws.edit("projects/p/params.yaml", "lr: 0.1", "lr: 0.2");
    expect(statuses(await ws.runJson())).toEqual({ "p:train": "ran" });
    expect(ws.read("projects/p/seen.yaml")).toBe("train:\n  lr: 0.2\n");
  });

  it("watch reruns a stage when a key it names is edited, and not for another key of the file", async () => {
    ws = new Workspace(project(TRAIN));
    const watching = ws.start(["watch"]);
    await watching.waitFor("watching", 1);
    ws.edit("projects/p/params.yaml", "lr: 0.1", "lr: 0.4");
    await watching.waitFor("watching", 2);
    expect(watching.stderr().split(/watching .* for changes/)[1]).toMatch(/^ran +p:train/m);
    ws.edit("projects/p/params.yaml", "epochs: 3", "epochs: 4");
    await watching.waitFor("watching", 3);
    expect(watching.stderr().split(/watching .* for changes/)[2]).toContain("1 cached");
    watching.child.kill("SIGINT");
    expect((await watching.done).code).toBe(130);
    expect(ws.read("projects/p/seen.yaml")).toBe("train:\n  lr: 0.4\n");
  });

  it("hands a cmd each value in the file's own words, and keys it on them: 1.0 is not 1, no is not \"no\", a seed keeps its digits", async () => {
    const yaml = `train:
  max_features: 1.0   # every feature, to scikit-learn
  use_bias: no
  seed: 12345678901234567891
  octal: 010
  sci: 1e3
  note: |
    two
    lines
  tags: [a, "b c", 1.50]
  step: 0.1
other: 5
`;
    ws = new Workspace(project(`  p.stage("read", {
    paramsFiles: [paramsFrom("params.yaml", ["train"])],
    outs: { seen: file("seen.txt") },
    cmd: "python3 -c 'import yaml; print(yaml.safe_load(open(\\"params.yaml\\")))' > {outs.seen}",
  });`, { "projects/p/params.yaml": yaml }));
    // What PyYAML (a YAML 1.1 reader) makes of the workspace's own file.
    const own = spawnSync("python3", ["-c", "import yaml, sys; print(yaml.safe_load(open(sys.argv[1])))", join(ws.root, "projects/p/params.yaml")], { encoding: "utf8" });
    expect(own.stdout).toContain("'max_features': 1.0, 'use_bias': False, 'seed': 12345678901234567891, 'octal': 8, 'sci': '1e3'");
    expect(statuses(await ws.runJson())).toEqual({ "p:read": "ran" });
    expect(ws.read("projects/p/seen.txt")).toBe(own.stdout.replace(", 'other': 5", ""));
    // A comment, or a key the stage does not read: the same copy, a hit.
    ws.edit("projects/p/params.yaml", "every feature", "all features");
    ws.edit("projects/p/params.yaml", "other: 5", "other: 6");
    expect(statuses(await ws.runJson())).toEqual({ "p:read": "cached" });
    // The same value to JSON, another to the stage's reader: each a new key.
    for (const [from, to] of [["max_features: 1.0", "max_features: 1"], ["use_bias: no", 'use_bias: "no"'], ["seed: 12345678901234567891", "seed: 12345678901234567892"]] as const) {
      ws.edit("projects/p/params.yaml", from, to);
      const explained = await ws.run(["explain", "p:read"]);
      expect(explained.stdout).toContain("params.yaml:train written");
      expect(statuses(await ws.runJson())).toEqual({ "p:read": "ran" });
    }
    expect(ws.read("projects/p/seen.txt")).toContain("'max_features': 1, 'use_bias': 'no', 'seed': 12345678901234567892, 'octal': 8");
    // A --set of one key leaves the others in the file's words.
    expect((await ws.runJson(["--set", "train.step=0.5"])).code).toBe(0);
    expect(ws.read("projects/p/seen.txt")).toContain("'max_features': 1, 'use_bias': 'no', 'seed': 12345678901234567892, 'octal': 8, 'sci': '1e3'");
    expect(ws.read("projects/p/seen.txt")).toContain("'step': 0.5");
  });

  it("reads JSON params files and writes the stage's copy as JSON, a whole section when a key names one", async () => {
    ws = new Workspace(project(`  p.stage("a", {
    paramsFiles: [paramsFrom("conf/params.json", ["model"])],
    outs: { seen: file("seen.json") },
    cmd: "cat conf/params.json > {outs.seen}",
  });`, { "projects/p/conf/params.json": `{ "model": { "depth": 4, "kind": "tree", "rate": 1.0 }, "other": 1 }\n` }));
    const deeper = await ws.runJson(["--set", "model.depth=6"]);
    expect(deeper.code, deeper.stderr).toBe(0);
    expect(JSON.parse(ws.read("projects/p/seen.json"))).toEqual({ model: { depth: 6, kind: "tree", rate: 1 } });
    // What the --set left as it was stays in the file's words: 1.0, a float to Python's json.
    expect(ws.read("projects/p/seen.json")).toContain('"rate": 1.0');
    // What it set is in the words it was typed in: 1, an integer to Python's json, so another key.
    const whole = await ws.runJson(["--set", "model={\"depth\":6,\"kind\":\"tree\",\"rate\":1}"]);
    expect(statuses(whole)).toEqual({ "p:a": "ran" });
    expect(ws.read("projects/p/seen.json")).toContain('"model": {"depth":6,"kind":"tree","rate":1}');
  });

  it("hands the stage a --set value in the words it was typed in, so a value a double cannot hold apart is another key", async () => {
    const written = "train:\n  lr: 2\n  seed: 0755\n  big: 12345678901234567890\n  flag: no\n";
    ws = new Workspace(
      project(
        `  p.stage("show", { paramsFiles: [paramsFrom("params.yaml", ["train.lr", "train.seed", "train.big", "train.flag"])], outs: { seen: file("seen.yaml") }, cmd: "cat params.yaml > {outs.seen}" });`,
        { "projects/p/params.yaml": written },
      ),
    );
    expect(statuses(await ws.runJson())).toEqual({ "p:show": "ran" });
    // The last digit is lost to a double, not to the stage's reader: a rerun, with the digits as typed.
    expect(statuses(await ws.runJson(["--set", "train.big=12345678901234567891"]))).toEqual({ "p:show": "ran" });
    expect(ws.read("projects/p/seen.yaml")).toContain("big: 12345678901234567891\n");
    // 2.0 is a float to PyYAML where the file's 2 is an integer, and `off` is its false.
    expect(statuses(await ws.runJson(["--set", "train.lr=2.0", "--set", "train.flag=off"]))).toEqual({ "p:show": "ran" });
    expect(ws.read("projects/p/seen.yaml")).toBe("train:\n  big: 12345678901234567890\n  flag: off\n  lr: 2.0\n  seed: 0755\n");
    // A value is read as the file's reader reads it: `.5` is a number in YAML. Words PyYAML would
    // read as a string (`1e-3`: YAML 1.1 wants a dot in a float) are written as JSON instead.
    expect(statuses(await ws.runJson(["--set", "train.lr=.5"]))).toEqual({ "p:show": "ran" });
    expect(ws.read("projects/p/seen.yaml")).toContain("  lr: .5\n");
    expect(statuses(await ws.runJson(["--set", "train.lr=1e-3"]))).toEqual({ "p:show": "ran" });
    expect(ws.read("projects/p/seen.yaml")).toContain("  lr: 0.001\n");
    expect(statuses(await ws.runJson())).toEqual({ "p:show": "restored" });
    expect(ws.read("projects/p/params.yaml")).toBe(written);
  });

  it("has an experiment change only the keys it sets, as typed, and apply write only those", async () => {
    const written = "# tuned by hand\ntrain:\n  lr: 0.1  # best so far\n  seed: 0755\n  big: 12345678901234567890\n";
    ws = new Workspace(
      project(`  p.stage("show", { paramsFiles: [paramsFrom("params.yaml", ["train"])], outs: { seen: file("seen.yaml") }, cmd: "cat params.yaml > {outs.seen}" });`, {
        "projects/p/params.yaml": written,
      }),
    );
    expect(statuses(await ws.runJson())).toEqual({ "p:show": "ran" });
    spawnSync("git", ["init", "-q"], { cwd: ws.root });
    spawnSync("git", ["add", "-A"], { cwd: ws.root });
    spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"], { cwd: ws.root });
    const experiment = await ws.run(["exp", "run", "--set", "train.lr=0.30", "--name", "e1"]);
    expect(experiment.code, experiment.stderr).toBe(0);
    const applied = await ws.run(["exp", "apply", "e1"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(ws.read("projects/p/params.yaml")).toBe(written.replace("lr: 0.1", "lr: 0.30"));
    expect(ws.read("projects/p/seen.yaml")).toBe("train: {lr: 0.30, seed: 0755, big: 12345678901234567890}\n");
    // A value a double cannot tell from the file's is applied all the same: the experiment ran on those words.
    spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "lr"], { cwd: ws.root });
    expect((await ws.run(["exp", "run", "--set", "train.big=12345678901234567891", "--name", "e2"])).code).toBe(0);
    const big = await ws.run(["exp", "apply", "e2"]);
    expect(big.code, big.stderr).toBe(0);
    expect(big.stdout).toContain("projects/p/params.yaml: the keys the experiment set, in the words it set them in");
    expect(ws.read("projects/p/params.yaml")).toContain("big: 12345678901234567891\n");
    expect(statuses(await ws.runJson())).toEqual({ "p:show": "cached" });
  });

  it("hands a run function the named keys' values in ctx.fileParams, a --set included", async () => {
    ws = new Workspace(project(`  p.stage("fn", { paramsFiles: [paramsFrom("params.yaml", ["train.lr"])], outs: { seen: file("seen.json") }, run: seen });`, {
      "projects/p/seen.ts": `import { writeFileSync } from "node:fs";
export function seen(ctx: { fileParams: Record<string, unknown>; outs: { seen: string } }) {
  writeFileSync(ctx.outs.seen, JSON.stringify(ctx.fileParams));
}
`,
    }));
    ws.edit("projects/p/pipeline.ts", 'from "sluice";', 'from "sluice";\nimport { seen } from "./seen.js";');
    expect((await ws.runJson(["--set", "train.lr=0.3"])).code).toBe(0);
    expect(JSON.parse(ws.read("projects/p/seen.json"))).toEqual({ "params.yaml:train.lr": 0.3 });
  });

  it("sets one key of a section the stage reads whole, and lists the keys of the section when it holds no such key", async () => {
    const whole = `  p.stage("train", {
    paramsFiles: [paramsFrom("params.yaml", ["train"])],
    outs: { seen: file("seen.yaml") },
    cmd: "cat params.yaml > {outs.seen}",
  });`;
    ws = new Workspace(project(whole));
    for (const set of ["train.lr=0.5", "params.yaml:train.lr=0.5"]) {
      const run = await ws.runJson(["--set", set]);
      expect(run.code, run.stderr).toBe(0);
      expect(ws.read("projects/p/seen.yaml")).toBe("train: {lr: 0.5, epochs: 3}\n");
    }
    const two = await ws.runJson(["--set", "train.lr=0.25", "--set", "train.epochs=9"]);
    expect(two.code, two.stderr).toBe(0);
    expect(ws.read("projects/p/seen.yaml")).toBe("train: {lr: 0.25, epochs: 9}\n");
    expect(ws.read("projects/p/params.yaml")).toContain("lr: 0.1");
    const typo = await ws.run(["run", "--set", "train.lrate=0.5"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('params.yaml:train has no key "lrate" (keys: lr, epochs)');
  });

  it("asks for the file by its workspace path when two projects' params files of one name hold the key", async () => {
    const stage = (name: string) => `import { defineProject, file, paramsFrom } from "sluice";
export default defineProject("${name}", (p) => {
  p.stage("a", { paramsFiles: [paramsFrom("params.yaml", ["train.lr"])], outs: { y: file("a.txt") }, cmd: "echo > {outs.y}" });
});
`;
    ws = new Workspace({
      "pipeline.ts": `import { defineWorkspace } from "sluice";\nexport default defineWorkspace({ projects: ["projects/p", "projects/q"] });\n`,
      "projects/p/pipeline.ts": stage("p"),
      "projects/q/pipeline.ts": stage("q"),
      "projects/p/params.yaml": "train:\n  lr: 1\n",
      "projects/q/params.yaml": "train:\n  lr: 2\n",
    });
    const out = await ws.run(["run", "--set", "params.yaml:train.lr=0.5"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("name the file, e.g. --set projects/p/params.yaml:train.lr=...");
    expect((await ws.runJson(["--set", "projects/p/params.yaml:train.lr=0.5"])).code).toBe(0);
  });

  it("refuses a --set of a key two params files hold, asking for the file", async () => {
    ws = new Workspace(project(`  p.stage("a", { paramsFiles: [paramsFrom("params.yaml", ["train.lr"])], outs: { y: file("a.txt") }, cmd: "echo > {outs.y}" });
  p.stage("b", { paramsFiles: [paramsFrom("other.yaml", ["train.lr"])], outs: { y: file("b.txt") }, cmd: "echo > {outs.y}" });`,
    { "projects/p/other.yaml": "train:\n  lr: 1\n" }));
    const out = await ws.run(["run", "--set", "train.lr=0.5"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('key "train.lr" is in projects/p/other.yaml and projects/p/params.yaml: name the file, e.g. --set projects/p/other.yaml:train.lr=...');
    const typo = await ws.run(["run", "--set", "train.rl=0.5"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--set train.rl=0.5: no params-file key "train.rl" (did you mean "train.lr"?)');
    const named = await ws.runJson(["--set", "projects/p/other.yaml:train.lr=0.5"]);
    expect(named.code, named.stderr).toBe(0);
    const runs = JSON.parse((await ws.run(["runs", "--json"])).stdout) as { runs: { stage: string; params: Record<string, unknown> }[] };
    expect(runs.runs.map((r) => [r.stage, r.params]).sort()).toEqual([
      ["p:a", { "params.yaml:train.lr": 0.1 }],
      ["p:b", { "other.yaml:train.lr": 0.5 }],
    ]);
  });

  it("refuses a params file the stage also reads through a source folder, which would show it whole and take the copy's write", async () => {
    ws = new Workspace(project(`  p.stage("a", {
    deps: { conf: source("conf") },
    paramsFiles: [paramsFrom("conf/params.yaml", ["a"])],
    outs: { y: file("a.txt") },
    cmd: "cat conf/params.yaml > {outs.y}",
  });`, { "projects/p/conf/params.yaml": "a: 1\nb: 2\n" }));
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("stage p:a: params file conf/params.yaml is also a source dep, or inside one");
    expect(ws.read("projects/p/conf/params.yaml")).toBe("a: 1\nb: 2\n");
  });

  it("refuses a missing params file, a file of another format, and a key inside a value, naming the stage (exit 2)", async () => {
    ws = new Workspace(project(`  p.stage("gone", { paramsFiles: [paramsFrom("missing.yaml", ["a"])], outs: { y: file("a.txt") }, cmd: "echo > {outs.y}" });
  p.stage("toml", { paramsFiles: [paramsFrom("params.toml", ["a"])], outs: { y: file("b.txt") }, cmd: "echo > {outs.y}" });
  p.stage("deep", { paramsFiles: [paramsFrom("params.yaml", ["train.lr.x"])], outs: { y: file("c.txt") }, cmd: "echo > {outs.y}" });`));
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("stage p:gone: params file missing.yaml does not exist");
    expect(out.stderr).toContain("stage p:toml: params file params.toml must be a .yaml, .yml or .json file");
    expect(out.stderr).toContain('stage p:deep: params file params.yaml has no key "train.lr.x": train.lr is a value, not a mapping');
  });

  it("says where a params file is not valid YAML once, at the first stage that reads it, naming the others", async () => {
    ws = new Workspace(
      project(`  for (const name of ["a", "b", "c", "d", "e"]) p.stage(name, { paramsFiles: [paramsFrom("params.yaml", ["train.lr"])], outs: { y: file(name + ".txt") }, cmd: "echo > {outs.y}" });
  p.stage("f", { paramsFiles: [paramsFrom("params.yml", ["train.lr"])], outs: { y: file("f.txt") }, cmd: "echo > {outs.y}" });
  p.stage("g", { paramsFiles: [paramsFrom("params.yml", ["train.lr"])], outs: { y: file("g.txt") }, cmd: "echo > {outs.y}" });`),
    );
    ws.write("projects/p/params.yaml", "train:\n  lr: 0.1\n  bad: [1, 2\n");
    const out = await ws.run(["run", "--json"]);
    expect(out.code).toBe(2);
    const problems = (JSON.parse(out.stdout) as { error: { problems: { stage: string; message: string }[] } }).error.problems;
    expect(problems.map((problem) => problem.stage)).toEqual(["p:a", "p:f"]);
    expect(problems[0]?.message).toMatch(/stage p:a: params file params\.yaml is not valid YAML: .+ at line \d+, column \d+; stages p:b, p:c and 2 more read it too$/);
    expect(problems[1]?.message).toMatch(/stage p:f: params file params\.yml does not exist \(did you mean params\.yaml\?\); stage p:g reads it too$/);
  });
});

describe("metrics outputs", () => {
  it("refuses a metrics file inside another stage's directory output, one neither JSON nor YAML, and a metrics file inside its own stage's directory named on its own", async () => {
    ws = new Workspace(project(`  p.stage("a", { outs: { d: dir("eval") }, cmd: "mkdir -p {outs.d}" });
  p.stage("b", { outs: { m: metrics("eval/metrics.json") }, cmd: "echo {} > {outs.m}" });
  p.stage("c", { outs: { m: metrics("metrics.txt") }, cmd: "echo 1 > {outs.m}" });
  const ev = p.stage("ev", { outs: { d: dir("ev"), m: metrics("ev/m.json") }, cmd: "mkdir -p {outs.d}; echo {} > {outs.m}" });
  p.stage("reader", { deps: { m: ev.outs.m }, outs: { y: file("r.txt") }, cmd: "cat {deps.m} > {outs.y}" });`));
    const out = await ws.run(["run"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("stage p:b: output projects/p/eval/metrics.json is also written by p:a");
    expect(out.stderr).toContain('stage p:c: metrics output "m" (metrics.txt) must be a .json, .yaml or .yml file');
    expect(out.stderr).toContain('stage p:ev: cmd uses {outs.m}, a metrics file inside directory output "d": write it below {outs.d}');
    expect(out.stderr).toContain('stage p:reader: dep "m" reads metrics file ev/m.json inside directory output "d" of p:ev: depend on ev.outs.d');
  });

  it("fails a stage whose metrics file is not valid JSON, or missing inside its directory output, and records its metrics when they are", async () => {
    ws = new Workspace(project(`  p.stage("bad", { outs: { m: metrics("m.json") }, cmd: "echo '{oops' > {outs.m}" });
  p.stage("gone", { outs: { d: dir("eval"), m: metrics("eval/m.yaml") }, cmd: "mkdir -p {outs.d}" });
  p.stage("good", { outs: { m: metrics("good.yaml") }, cmd: "echo 'acc: 0.9' > {outs.m}" });`));
    const run = await ws.runJson(["--keep-going"]);
    expect(run.code).toBe(1);
    expect(statuses(run)).toEqual({ "p:bad": "failed", "p:gone": "failed", "p:good": "ran" });
    const reasons = Object.fromEntries(run.stages.map((s) => [s.id, s.reason]));
    expect(reasons["p:bad"]).toMatch(/^contract-violation: metrics output "m" \(projects\/p\/m.json\) is not valid JSON/);
    expect(reasons["p:gone"]).toBe('missing-output: metrics output "m" (projects/p/eval/m.yaml) was not written');
    expect(ws.exists("projects/p/m.json")).toBe(false);
    const runs = JSON.parse((await ws.run(["runs", "p:good", "--json"])).stdout) as { runs: { metrics: unknown }[] };
    expect(runs.runs.at(-1)?.metrics).toEqual({ acc: 0.9 });
  });

  it("counts a json output named metrics, the earlier way to declare them, as a metrics file", async () => {
    ws = new Workspace(project(`  p.stage("ev", { outs: { metrics: json(z.object({ acc: z.number() })) }, cmd: "echo '{\\"acc\\": 0.5}' > {outs.metrics}" });`));
    ws.edit("projects/p/pipeline.ts", 'from "sluice";', 'from "sluice";\nimport { json } from "sluice";\nimport { z } from "zod";');
    expect((await ws.runJson()).code).toBe(0);
    const show = JSON.parse((await ws.run(["metrics", "show", "--json"])).stdout) as { metrics: unknown[] };
    expect(show.metrics).toEqual([{ path: "projects/p/out/ev/metrics.json", key: "acc", value: 0.5 }]);
  });

  it("shows metrics from a file of its own and from inside a directory output, and diffs a commit through its lock and the cache", async () => {
    ws = new Workspace(project(`  p.stage("ev", {
    paramsFiles: [paramsFrom("params.yaml", ["train.lr"])],
    outs: { d: dir("eval"), inner: metrics("eval/scores.yaml"), top: metrics("top.json") },
    cmd: "mkdir -p {outs.d}; printf 'auc: %s\\\\nnested:\\\\n  n: 2\\\\n' $(sed -n 's/ *lr: //p' params.yaml) > {outs.d}/scores.yaml; echo '{\\"loss\\": 1.5}' > {outs.top}",
  });`));
    expect((await ws.runJson()).code).toBe(0);
    const show = JSON.parse((await ws.run(["metrics", "show", "--json"])).stdout) as { metrics: unknown[] };
    expect(show.metrics).toEqual([
      { path: "projects/p/eval/scores.yaml", key: "auc", value: 0.1 },
      { path: "projects/p/eval/scores.yaml", key: "nested.n", value: 2 },
      { path: "projects/p/top.json", key: "loss", value: 1.5 },
    ]);
    const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.org", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.org" };
    for (const args of [["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]]) spawnSync("git", args, { cwd: ws.root, env });
    ws.edit("projects/p/params.yaml", "lr: 0.1", "lr: 0.25");
    expect((await ws.runJson()).code).toBe(0);
    const diff = JSON.parse((await ws.run(["metrics", "diff", "--json"])).stdout) as { metrics: unknown[]; problems: string[] };
    expect(diff).toEqual({
      a: "HEAD",
      b: "workspace",
      metrics: [{ path: "projects/p/eval/scores.yaml", key: "auc", old: 0.1, new: 0.25, delta: 0.15, changed: true }],
      problems: [],
    });
    // HEAD's scores no longer in the cache: its value is unknown, which is no change and no "added".
    rmSync(join(ws.root, "cache", "objects"), { recursive: true, force: true });
    const unread = await ws.run(["metrics", "diff", "--json"]);
    const document = JSON.parse(unread.stdout) as { metrics: { key: string; new: unknown; changed: boolean; unknown?: string }[]; problems: string[] };
    expect(document.metrics.map((r) => [r.key, r.new, r.changed, r.unknown])).toEqual([
      ["auc", 0.25, false, "a"],
      ["nested.n", 2, false, "a"],
      ["loss", 1.5, false, "a"],
    ]);
    expect(document.problems).toContain(
      "HEAD: projects/p/eval/scores.yaml (p:ev) is not in the local cache (run that revision's pipeline here, or pull its results from the remote cache with --remote-cache)",
    );
    const table = (await ws.run(["metrics", "diff"])).stdout;
    expect(table).toMatch(/projects\/p\/eval\/scores\.yaml\s+auc\s+\?\s+0\.25\s+unknown/);
    expect(table).not.toContain("added");
    const unknown = await ws.run(["metrics", "diff", "v9"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no revision "v9" in this repository');
  });
});
