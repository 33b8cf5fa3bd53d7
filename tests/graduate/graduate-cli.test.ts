/**
 * `sluice graduate` end to end: the real CLI graduates a committed notebook
 * into a temp workspace, and the stage it declares runs with python3,
 * caches, and reruns when a param changes.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { describeWith, PYTHON } from "../requirements.js";
import { statuses, Workspace } from "../rig.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

const ROOT_PIPELINE = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/demo"] });
`;
const PROJECT = `import { defineProject, source } from "sluice";

export default defineProject("demo", (p) => {
  p.stage("copy", { deps: { raw: source("data/raw.csv") }, outs: {}, cmd: "true" });
});
`;

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

function workspace(): Workspace {
  ws = new Workspace({
    "pipeline.ts": ROOT_PIPELINE,
    "projects/demo/pipeline.ts": PROJECT,
    "projects/demo/data/raw.csv": "value\n1\n2\n3\n",
    "projects/demo/notebooks/train.ipynb": fixture("train-with-parameters.ipynb"),
    "projects/demo/notebooks/out-of-order.ipynb": fixture("out-of-order.ipynb"),
    "projects/demo/notebooks/magics.ipynb": fixture("magics.ipynb"),
  });
  return ws;
}

function model(w: Workspace): { weight: number; label: string; epochs: number } {
  return JSON.parse(w.read("projects/demo/model/model.json")) as { weight: number; label: string; epochs: number };
}

describeWith(PYTHON, "graduating a notebook into a running stage", () => {
  it("writes the script and the stage, which runs with python3, caches, and reruns when a param changes", async () => {
    const w = workspace();
    const graduate = await w.run(["graduate", "projects/demo/notebooks/train.ipynb", "--project", "demo", "--stage", "train", "--write"]);
    expect(graduate.code, graduate.stderr).toBe(0);
    expect(graduate.stderr).toContain("added the stage to projects/demo/pipeline.ts");
    expect(w.exists("projects/demo/stages/train.py")).toBe(true);
    expect(w.read("projects/demo/pipeline.ts")).toContain('import { defineProject, source, file } from "sluice";');

    const first = await w.runJson();
    expect(first.code, first.stderr).toBe(0);
    expect(statuses(first)["demo:train"]).toBe("ran");
    expect(model(w)).toEqual({ weight: expect.any(Number), label: "v1", epochs: 3 });

    const second = await w.runJson();
    expect(statuses(second)["demo:train"]).toBe("cached");

    const variant = await w.runJson(["--set", "demo:train.epochs=5", "--set", "demo:train.label=v2"]);
    expect(variant.code, variant.stderr).toBe(0);
    expect(statuses(variant)["demo:train"]).toBe("ran");
    expect(model(w)).toMatchObject({ label: "v2", epochs: 5 });
  });
});

describeWith(PYTHON, "graduating a notebook whose outputs the code does not show", () => {
  it("lists what it could not detect, takes --outs for it, and the stage runs with None, list and dict params", async () => {
    const w = workspace();
    w.write("projects/demo/notebooks/total.ipynb", fixture("library-outputs.ipynb"));
    w.write("projects/demo/data/meta.json", '{"unit": "kg"}');
    const bare = await w.run(["graduate", "projects/demo/notebooks/total.ipynb", "-p", "demo", "-s", "total"]);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stderr).toContain("warning: could not detect the files of 3 call(s); declare what they read or write with --deps or --outs");
    expect(bare.stderr).toContain("  cell 5, line 7: open(path, ...) writes to a path built at run time (--outs <path>)");
    expect(bare.stderr).toContain('  cell 5, line 10: glue("total", ...) records a value in the executed notebook (scrapbook), which a script run does not write (write it to a file and --outs <path>)');

    const out = await w.run(["graduate", "projects/demo/notebooks/total.ipynb", "-p", "demo", "-s", "total", "--outs", "reports/run.json", "--write", "--force", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as { params: Record<string, unknown>; outs: { path: string; flag: string | null }[]; undetected: unknown[] };
    expect(doc.params).toEqual({ threshold: null, weights: [1, 2.5, -3], options: { name: "run", scale: 2, tags: ["a", "b"], strict: false } });
    expect(doc.outs).toEqual([{ name: "run", path: "reports/run.json", flag: null }]);
    expect(doc.undetected).toHaveLength(3);
    expect(out.stderr).toContain("writes reports/run.json  (declared by --outs)");

    const run = await w.runJson(["demo:total"]);
    expect(run.code, run.stderr).toBe(0);
    // (1*1 + 2.5*2 - 3*3) * scale 2, written where the stage runs: the project folder.
    expect(JSON.parse(w.read("projects/demo/reports/run.json"))).toEqual({ total: -6, tags: 2, threshold: null, unit: "kg" });

    const variant = await w.runJson(["demo:total", "--set", "demo:total.weights=[1,1,1]", "--set", "demo:total.threshold=10"]);
    expect(variant.code, variant.stderr).toBe(0);
    expect(JSON.parse(w.read("projects/demo/reports/run.json"))).toMatchObject({ total: 10, threshold: 10 });
  });
});

describeWith(PYTHON, "graduating into the workspace sluice init scaffolds", () => {
  it("adds the stage to the project's pipeline under projects/, and runs it", async () => {
    ws = new Workspace({});
    const init = await ws.run(["init"]);
    expect(init.code, init.stderr).toBe(0);
    ws.write("projects/ws/notebooks/words.ipynb", fixture("no-parameters.ipynb"));
    ws.write("projects/ws/notebooks/input.txt", "one two three\n");
    const out = await ws.run(["graduate", "projects/ws/notebooks/words.ipynb", "-p", "ws", "-s", "wordcount", "--write"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain("wrote projects/ws/stages/wordcount.py");
    expect(out.stderr).toContain("added the stage to projects/ws/pipeline.ts");
    const run = await ws.runJson(["ws:wordcount"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statuses(run)).toEqual({ "ws:wordcount": "ran" });
    expect(ws.read("projects/ws/notebooks/summary.txt")).toBe("3\n"); // where the notebook wrote it, beside itself
  });
});

describe("graduate on the command line", () => {
  it("refuses a notebook run out of order with exit 2 and writes nothing", async () => {
    const w = workspace();
    const out = await w.run(["graduate", "projects/demo/notebooks/out-of-order.ipynb", "-p", "demo", "-s", "tally"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("cell 3 has In [2] but comes after cell 2 with In [3]");
    expect(out.stderr).toContain("--allow-out-of-order");
    expect(w.exists("projects/demo/stages/tally.py")).toBe(false);

    const allowed = await w.run(["graduate", "projects/demo/notebooks/out-of-order.ipynb", "-p", "demo", "-s", "tally", "--allow-out-of-order"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(w.exists("projects/demo/stages/tally.py")).toBe(true);
  });

  it("prints the declaration on stdout and warns about the magics it commented out", async () => {
    const w = workspace();
    const out = await w.run(["graduate", "projects/demo/notebooks/magics.ipynb", "-p", "demo", "-s", "clean"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('p.stage("clean", {');
    expect(out.stderr).toContain("warning: commented out 7 IPython magic(s) and shell escape(s) python3 cannot run:");
    expect(out.stderr).toContain("cell 1, line 3: !pip install pandas");
    expect(w.read("projects/demo/pipeline.ts")).toBe(PROJECT);
  });

  it("will not overwrite an existing script without --force", async () => {
    const w = workspace();
    w.write("projects/demo/stages/train.py", "print('mine')\n");
    const out = await w.run(["graduate", "projects/demo/notebooks/train.ipynb", "-p", "demo", "-s", "train"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("projects/demo/stages/train.py already exists");
    expect(w.read("projects/demo/stages/train.py")).toBe("print('mine')\n");
  });
});
