/**
 * `sluice plots show|diff` end to end on a small workspace whose stage
 * writes a DVC-style precision-recall file and dvclive's per-step TSV
 * inside a directory output: the series of the workspace and of a git
 * commit (read through its sluice.lock and the cache), the messages for a
 * wrong declaration, and the page opened in a real Chromium from file://
 * with no CSP violation, console error or network request.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, describeWith, NGINX } from "../requirements.js";
import { Nginx } from "../team/nginx.js";
import { git, Workspace } from "../rig.js";

const PIPELINE = `import { defineProject, dir, plots, source } from "sluice";

export default defineProject("p", (p) => {
  p.stage("train", {
    deps: { script: source("gen.sh") },
    params: { scale: 0.9 },
    outs: {
      live: dir("dvclive"),
      curves: plots("dvclive/plots/metrics"),
      prc: plots("eval/prc.json", { x: "recall", y: "precision", title: "Precision-recall" }),
    },
    cmd: "sh {deps.script} {params.scale} {outs.live} {outs.prc}",
  });
});
`;

/** What dvclive writes (timestamp, step, value per line; metrics.json) and what DVC's example writes ({"prc": [...]}), from one number. */
const GEN = `set -e
mkdir -p "$2/plots/metrics" "$(dirname "$3")"
printf 'timestamp\\tstep\\tloss\\n100\\t0\\t%s\\n101\\t1\\t0.5\\n102\\t2\\t0.25\\n' "$1" > "$2/plots/metrics/loss.tsv"
printf '{"prc": [{"recall": 0, "precision": 1}, {"recall": 0.5, "precision": %s}, {"recall": 1, "precision": 0.5}]}' "$1" > "$3"
printf '{"scale": %s}' "$1" > "$2/metrics.json"
`;

interface PlotsJson {
  revisions: string[];
  plots: { path: string; stage: string; title: string; x: string; series: { revision: string; y: string; x: (number | string)[]; values: (number | null)[] }[] }[];
  problems: string[];
  out: string | null;
}

async function plotsJson(ws: Workspace, args: readonly string[]): Promise<PlotsJson> {
  const out = await ws.run(["plots", ...args, "--json"]);
  expect(out.code, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as PlotsJson;
}

describe("sluice plots", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE, "gen.sh": GEN, ".gitignore": "/cache/\n/report/\nnode_modules/\n" });
    expect((await ws.runJson()).code).toBe(0);
    git(ws, "init", "-q");
    git(ws, "add", "-A");
    git(ws, "commit", "-qm", "scale 0.9");
  });
  afterAll(() => ws.dispose());

  it("show draws a declared file and every file of a dvclive folder inside a directory output, x defaulting to step", async () => {
    const shown = await plotsJson(ws, ["show"]);
    expect(shown.revisions).toEqual(["workspace"]);
    expect(shown.out).toBeNull();
    expect(shown.plots.map((p) => [p.path, p.title, p.x, p.series.map((s) => s.y)])).toEqual([
      ["dvclive/plots/metrics/loss.tsv", "dvclive/plots/metrics/loss.tsv", "step", ["loss"]],
      ["eval/prc.json", "Precision-recall", "recall", ["precision"]],
    ]);
    expect(shown.plots[0]?.series[0]).toEqual({ revision: "workspace", y: "loss", x: [0, 1, 2], values: [0.9, 0.5, 0.25] });
  });

  it("diff overlays HEAD (from its sluice.lock and the cache) and the workspace, plot by plot", async () => {
    ws.edit("pipeline.ts", "scale: 0.9", "scale: 0.7");
    expect((await ws.runJson()).code).toBe(0);
    const diff = await plotsJson(ws, ["diff"]);
    expect(diff.revisions).toEqual(["HEAD", "workspace"]);
    expect(diff.problems).toEqual([]);
    const prc = diff.plots.find((p) => p.path === "eval/prc.json");
    expect(prc?.series.map((s) => [s.revision, s.values])).toEqual([
      ["HEAD", [1, 0.9, 0.5]],
      ["workspace", [1, 0.7, 0.5]],
    ]);
    const loss = diff.plots.find((p) => p.path === "dvclive/plots/metrics/loss.tsv");
    expect(loss?.series.map((s) => [s.revision, s.values[0]])).toEqual([
      ["HEAD", 0.9],
      ["workspace", 0.7],
    ]);
  });

  it("says which revision's files the local cache lacks, and still draws the others", async () => {
    rmSync(join(ws.root, "cache", "objects"), { recursive: true, force: true });
    const diff = await plotsJson(ws, ["diff", "HEAD"]);
    expect(diff.plots.map((p) => p.series.map((s) => s.revision))).toEqual([["workspace"], ["workspace"]]);
    expect(diff.problems).toContain("HEAD: dvclive/plots/metrics (p:train) is not in the local cache (run that revision's pipeline here, or pull its results from the remote cache with --remote-cache)");
    expect((await ws.runJson(["--force", "p:train"])).code).toBe(0);
  });

  it("refuses an unknown revision with exit 2", async () => {
    const out = await ws.run(["plots", "diff", "no-such-rev"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('error: no revision "no-such-rev" in this repository');
  });

  it("names the file and the columns it has when a declared column is not there (exit 2), and writes no page", async () => {
    ws.edit("pipeline.ts", 'y: "precision"', 'y: "precison"');
    const out = await ws.run(["plots", "show", "--out", "bad.html"]);
    ws.edit("pipeline.ts", 'y: "precison"', 'y: "precision"');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('error: eval/prc.json (p:train) has no column "precison" (did you mean "precision"?) (columns found: recall, precision)');
    expect(ws.exists("bad.html")).toBe(false);
  });

  it("refuses a plot that is not json, csv or tsv when the pipeline loads (exit 2)", async () => {
    ws.edit("pipeline.ts", '"eval/prc.json"', '"eval/prc.txt"');
    const out = await ws.run(["plots", "show"]);
    ws.edit("pipeline.ts", '"eval/prc.txt"', '"eval/prc.json"');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('stage p:train: plots output "prc" (eval/prc.txt) must be a .json, .csv or .tsv file, or a folder of them');
  });

  it("puts the workspace's plots in the HTML report", async () => {
    const out = await ws.run(["report", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const html = readFileSync(join(ws.root, "report", "index.html"), "utf8");
    expect(html).toContain('data-plot="eval/prc.json"');
    expect(html).toContain('data-plot="dvclive/plots/metrics/loss.tsv"');
  });
});

describeWith(NGINX, "plots diff and metrics diff with a remote cache (real nginx)", () => {
  let nginx: Nginx;
  let ws: Workspace;
  beforeAll(async () => {
    nginx = await Nginx.start();
    const pipeline = PIPELINE.replace("plots, source", "metrics, plots, source").replace("curves: plots(", 'm: metrics("dvclive/metrics.json"),\n      curves: plots(');
    ws = new Workspace({ "pipeline.ts": pipeline, "gen.sh": GEN, ".gitignore": "/cache/\n" });
    expect((await ws.runJson(["--remote-cache", nginx.url("plots")])).code).toBe(0);
    git(ws, "init", "-q");
    git(ws, "add", "-A");
    git(ws, "commit", "-qm", "scale 0.9");
    ws.edit("pipeline.ts", "scale: 0.9", "scale: 0.7");
    expect((await ws.runJson()).code).toBe(0);
    // This clone never ran the committed pipeline: HEAD's results are only on the remote.
    rmSync(join(ws.root, "cache"), { recursive: true, force: true });
  });
  afterAll(async () => {
    ws?.dispose();
    await nginx?.dispose();
  });

  it("fetches a revision's files the local cache lacks from the remote cache", async () => {
    const diff = await plotsJson(ws, ["diff", "--remote-cache", nginx.url("plots")]);
    expect(diff.problems).toEqual([]);
    expect(diff.plots.find((p) => p.path === "eval/prc.json")?.series.map((s) => [s.revision, s.values[1]])).toEqual([
      ["HEAD", 0.9],
      ["workspace", 0.7],
    ]);
    const metrics = await ws.run(["metrics", "diff", "--json", "--remote-cache", nginx.url("plots")]);
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(JSON.parse(metrics.stdout)).toMatchObject({ metrics: [{ path: "dvclive/metrics.json", key: "scale", old: 0.9, new: 0.7 }], problems: [] });
  });
});

describeWith(CHROMIUM, "the plots diff page in Chromium", () => {
  let ws: Workspace;
  let browser: Browser;
  const problems: string[] = [];
  const requests: string[] = [];
  let legends: string[][] = [];
  let seriesCounts: number[] = [];
  let svgs = 0;

  beforeAll(async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE, "gen.sh": GEN });
    expect((await ws.runJson()).code).toBe(0);
    git(ws, "init", "-q");
    git(ws, "add", "-A");
    git(ws, "commit", "-qm", "scale 0.9");
    ws.edit("pipeline.ts", "scale: 0.9", "scale: 0.7");
    expect((await ws.runJson()).code).toBe(0);
    const out = await ws.run(["plots", "diff", "--out", "plots.html"]);
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(join(ws.root, "plots.html"))).toBe(true);

    browser = await chromium.launch({
      executablePath: CHROMIUM.path as string,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const page = await browser.newPage();
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith("file://")) requests.push(request.url());
    });
    // A CSP violation becomes a console error, which the listener above collects.
    await page.addInitScript({
      content: 'document.addEventListener("securitypolicyviolation", (e) => console.error("CSP: " + e.violatedDirective + " " + e.blockedURI));',
    });
    await page.goto(`file://${join(ws.root, "plots.html")}`, { waitUntil: "load" });
    svgs = await page.locator(".plot svg").count();
    const plots = page.locator(".plot");
    for (let i = 0; i < (await plots.count()); i++) {
      legends.push(await plots.nth(i).locator("text.legend").allTextContents());
      seriesCounts.push(await plots.nth(i).locator("g.plot-series").count());
    }
  });

  afterAll(async () => {
    await browser?.close();
    ws?.dispose();
  });

  it("loads from file:// with no CSP violation, console error or network request", () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("draws one SVG per plot, one series per revision, and a legend naming the revisions", () => {
    expect(svgs).toBe(2);
    expect(seriesCounts).toEqual([2, 2]);
    expect(legends).toEqual([
      ["HEAD", "workspace"],
      ["HEAD", "workspace"],
    ]);
  });
});
