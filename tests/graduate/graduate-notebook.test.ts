/**
 * The pure graduation passes, on real notebooks committed under fixtures/:
 * params from the `parameters` cell, candidate deps and outs, refusal of
 * out-of-order notebooks, magics commented out, and scripts python3 accepts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeWith, PYTHON } from "../requirements.js";
import { graduateNotebook, insertStage, type DeclaredFiles, type Graduation } from "../../src/graduate/index.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const ROOT = "/ws";

function graduate(fixture: string, options: { allowOutOfOrder?: boolean; at?: string; declared?: DeclaredFiles } = {}) {
  return graduateNotebook({
    notebookPath: join(ROOT, options.at ?? "projects/demo/notebooks", fixture),
    notebookText: readFileSync(new URL(fixture, FIXTURES), "utf8"),
    workspaceRoot: ROOT,
    project: "demo",
    stage: "train",
    allowOutOfOrder: options.allowOutOfOrder ?? false,
    declared: options.declared,
  });
}

function graduated(fixture: string, options: { allowOutOfOrder?: boolean; at?: string; declared?: DeclaredFiles } = {}): Graduation {
  const result = graduate(fixture, options);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe("graduating a notebook with a parameters cell", () => {
  const g = graduated("train-with-parameters.ipynb");

  it("turns every literal assignment of the parameters cell into a typed param", () => {
    expect(g.params.map((p) => [p.name, p.kind, p.value])).toEqual([
      ["learning_rate", "float", 0.5],
      ["epochs", "int", 3],
      ["label", "str", "v1"],
      ["normalise", "bool", true],
      ["scale", "float", 0.1],
    ]);
  });

  it("makes the script parse a flag per param, defaulting to the notebook's value", () => {
    expect(g.script).toContain('add_argument("--learning-rate", dest="learning_rate", type=float, default=0.5)');
    expect(g.script).toContain('add_argument("--normalise", dest="normalise", type=_sluice_bool, default=True)');
    expect(g.script).toContain("learning_rate = _sluice_args.learning_rate\n");
    expect(g.script).toContain("scale: float = _sluice_args.scale\n");
  });

  it("keeps the cells in order behind # %% markers, the parameters cell tagged", () => {
    const markers = g.script.split("\n").filter((l) => l.startsWith("# %%"));
    expect(markers).toEqual([
      "# %% [sluice] command-line flags; the defaults are the notebook's values",
      "# %% [markdown]",
      '# %% tags=["parameters"]',
      "# %%",
      "# %%",
      "# %%",
      "# %%",
    ]);
  });

  it("finds the file it reads as a dep and the file it writes as an out, relative to the project", () => {
    expect(g.files.map((f) => [f.role, f.name, f.path, f.flag])).toEqual([
      ["dep", "raw", "data/raw.csv", "--dep-raw"],
      ["out", "model", "model/model.json", "--out-model"],
    ]);
    expect(g.script).toContain("with open(_sluice_args.dep_raw) as f:");
    expect(g.script).toContain('with open(_sluice_args.out_model, "w") as f:');
  });

  it("prints a cmd stage declaration that passes params, deps and outs as flags", () => {
    expect(g.declaration).toMatchInlineSnapshot(`
      "  // Graduated from projects/demo/notebooks/train-with-parameters.ipynb: check the candidate deps and outs it found.
        p.stage("train", {
          description: "graduated from projects/demo/notebooks/train-with-parameters.ipynb",
          deps: { script: source("stages/train.py"), raw: source("data/raw.csv") },
          params: { learning_rate: 0.5, epochs: 3, label: "v1", normalise: true, scale: 0.1 },
          outs: { model: file("model/model.json") },
          probes: ["python3 --version"],
          cmd: "python3 {deps.script} --learning-rate {params.learning_rate} --epochs {params.epochs} --label {params.label} --normalise {params.normalise} --scale {params.scale} --dep-raw {deps.raw} --out-model {outs.model}",
        });"
    `);
    expect(g.scriptFile).toBe("projects/demo/stages/train.py");
  });
});

describe("a parameters cell with None, lists and dicts", () => {
  const g = graduated("library-outputs.ipynb");

  it("makes None, list and dict literals params with their JSON values; a computed value stays code", () => {
    expect(g.params.map((p) => [p.name, p.kind, p.value])).toEqual([
      ["threshold", "none", null],
      ["weights", "list", [1, 2.5, -3]],
      ["options", "dict", { name: "run", scale: 2, tags: ["a", "b"], strict: false }],
    ]);
    expect(g.warnings).toContain("parameters limit are computed, not literals: they stay code and are not params");
  });

  it("parses them as JSON flags defaulting to the notebook's own literal, and declares them as values", () => {
    expect(g.script).toContain('add_argument("--threshold", dest="threshold", type=_sluice_json.loads, default=None)');
    expect(g.script).toContain('add_argument("--weights", dest="weights", type=_sluice_json.loads, default=[1, 2.5, -3])');
    expect(g.script).toContain('add_argument("--options", dest="options", type=_sluice_json.loads, default={\n    "name": "run",');
    expect(g.declaration).toContain('params: { threshold: null, weights: [1, 2.5, -3], options: { name: "run", scale: 2, tags: ["a", "b"], strict: false } },');
  });

  it("lists the calls whose files it cannot see (a computed path, scrapbook's glue), but not a file handle passed on", () => {
    expect(g.undetected).toEqual([
      { cell: 5, line: 2, code: 'savefig(os.path.join("figures", name + ".png"))', direction: "write", why: "writes to a path built at run time" },
      { cell: 5, line: 7, code: "open(path, ...)", direction: "write", why: "writes to a path built at run time" },
      { cell: 5, line: 10, code: 'glue("total", ...)', direction: "elsewhere", why: "records a value in the executed notebook (scrapbook), which a script run does not write" },
    ]);
    expect(g.files.map((f) => [f.role, f.path, f.calls.join(",")])).toEqual([
      ["dep", "data/raw.csv", "open"],
      ["dep", "data/meta.json", "open"],
    ]);
  });

  it("declares the files given with --deps and --outs without a flag: the script computes those paths", () => {
    const g = graduated("library-outputs.ipynb", { declared: { deps: ["data/raw.csv", "config/extra.yaml"], outs: ["reports/run.json"] } });
    expect(g.files.map((f) => [f.role, f.name, f.path, f.flag ?? null])).toEqual([
      ["dep", "raw", "data/raw.csv", "--dep-raw"],
      ["dep", "meta", "data/meta.json", "--dep-meta"],
      ["dep", "extra", "config/extra.yaml", null],
      ["out", "run", "reports/run.json", null],
    ]);
    expect(g.declaration).toContain('outs: { run: file("reports/run.json") },');
    expect(g.declaration).toContain('extra: source("config/extra.yaml")');
    expect(g.script).not.toContain("reports/run.json");
  });

  it("refuses an --outs path outside the project folder", () => {
    const result = graduate("library-outputs.ipynb", { declared: { deps: [], outs: ["../elsewhere/run.json"] } });
    expect(result.ok ? "" : result.error.message).toBe(
      "--outs ../elsewhere/run.json: an output lies inside the project folder (projects/demo); give the path relative to it, where the stage runs",
    );
  });
});

describe("refusing notebooks run out of order", () => {
  it("names the cells whose execution counts go backwards", () => {
    const result = graduate("out-of-order.ipynb");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason).toBe("out-of-order");
    expect(result.error.message).toMatchInlineSnapshot(`
      "projects/demo/notebooks/out-of-order.ipynb was run out of order, so the script may not reproduce what the notebook shows:
        cell 3 has In [2] but comes after cell 2 with In [3]
      Restart the kernel and run all cells top to bottom, save, and graduate again;
      or pass --allow-out-of-order to graduate it as it stands."
    `);
  });

  it("graduates it anyway with --allow-out-of-order, with a warning", () => {
    const g = graduated("out-of-order.ipynb", { allowOutOfOrder: true });
    expect(g.warnings.join("\n")).toContain("out of order");
    expect(g.script).toContain("total = total + 1");
  });

  it("ignores cells that were never run", () => {
    expect(graduate("no-parameters.ipynb").ok).toBe(true);
  });
});

describe("commenting out magics and shell escapes", () => {
  const g = graduated("magics.ipynb");

  it("lists every magic and shell escape with its cell and line", () => {
    expect(g.magics.map((m) => `${m.cell}:${m.line} ${m.text}`)).toEqual([
      "1:1 %matplotlib inline",
      "1:2 %load_ext autoreload",
      "1:3 !pip install pandas",
      "2:1 files = !ls data",
      "3:1 %%bash",
      "4:1 %%time",
      "5:2 %time df.describe()",
    ]);
  });

  it("comments out a shell cell whole but keeps the Python body of %%time", () => {
    expect(g.script).toContain("# ipython: %%bash\n# ipython: echo \"it's a shell cell\"\n# ipython: ls -l");
    expect(g.script).toContain("# ipython: %%time\ndf = pd.read_csv(_sluice_args.dep_input)");
  });

  it("leaves % and ! inside strings and expressions alone, and keeps indented blocks valid", () => {
    expect(g.script).toContain('DOC = """\n% of rows kept\n!important\n"""');
    expect(g.script).toContain("rate = 10 % 3");
    expect(g.script).toContain("    pass  # ipython: %time df.describe()");
  });

  it("finds literal paths in pandas, numpy and torch calls but not in comments, strings, f-strings or URLs", () => {
    expect(g.files.map((f) => `${f.role} ${f.name} ${f.calls.join(",")}`)).toEqual([
      "dep input read_csv",
      "out clean to_csv",
      "out values save",
      "out model save",
    ]);
    expect(g.undetected).toEqual([{ cell: 5, line: 6, code: 'savefig(f"out/{name}.png")', direction: "write", why: "writes to a path built at run time" }]);
  });
});

describe("a notebook without a parameters cell", () => {
  const g = graduated("no-parameters.ipynb", { at: "notebooks" });

  it("has no params, and still passes its files as flags", () => {
    expect(g.params).toEqual([]);
    expect(g.declaration).not.toContain("params:");
    expect(g.declaration).toContain('cmd: "python3 {deps.script} --dep-input {deps.input} --out-summary {outs.summary}"');
  });

  it("resolves paths against the notebook's folder and moves outputs outside the project under data/", () => {
    expect(g.files.map((f) => [f.role, f.path])).toEqual([
      ["dep", "../../notebooks/input.txt"],
      ["out", "data/summary.txt"],
    ]);
    expect(g.warnings).toContain("summary.txt is written outside the project; the stage declares it as data/summary.txt instead");
  });
});

describe("refusing what is not a Python notebook", () => {
  it("refuses a notebook with another kernel", () => {
    const result = graduate("r-kernel.ipynb");
    expect(result.ok ? "" : result.error.message).toBe("projects/demo/notebooks/r-kernel.ipynb runs a r kernel; sluice graduate turns Python notebooks into scripts");
  });
});

describeWith(PYTHON, "the generated scripts", () => {
  it("are valid python3 for every fixture", () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-graduate-"));
    try {
      for (const fixture of ["train-with-parameters.ipynb", "magics.ipynb", "no-parameters.ipynb", "library-outputs.ipynb"]) {
        const file = join(dir, fixture.replace(".ipynb", ".py"));
        writeFileSync(file, graduated(fixture).script);
        const compiled = spawnSync("python3", ["-m", "py_compile", file], { encoding: "utf8" });
        expect(compiled.stderr, fixture).toBe("");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("inserting the declaration with --write", () => {
  const g = graduated("train-with-parameters.ipynb");
  const request = { project: "demo", stage: "train", file: "projects/demo/pipeline.ts", declaration: g.declarationFor, imports: g.imports };

  it("adds the stage before the end of defineProject and the missing API names to the import", () => {
    const before = 'import { defineProject } from "sluice";\n\nexport default defineProject("demo", (proj) => {\n  proj.stage("a", { cmd: "true" });\n});\n';
    const after = insertStage(before, request);
    expect(after.ok).toBe(true);
    if (!after.ok) return;
    expect(after.value.split("\n")[0]).toBe('import { defineProject, file, source } from "sluice";');
    expect(after.value).toContain('  proj.stage("a", { cmd: "true" });\n  // Graduated from');
    expect(after.value).toContain('  proj.stage("train", {');
    expect(after.value.trimEnd().endsWith("});\n});")).toBe(true);
  });

  it("refuses to declare a stage name twice", () => {
    const text = 'import { defineProject, file, source } from "sluice";\nexport default defineProject("demo", (p) => {\n  p.stage("train", { cmd: "true" });\n});\n';
    const result = insertStage(text, request);
    expect(result.ok ? "" : result.error.reason).toBe("stage-exists");
  });
});
