/**
 * `sluice report` end to end: a copy of the example workspace replays the
 * ETA story (v1 canary, promoted with an approval, v3 canary, v2 held), gets
 * a live-window file and a monitor pass that pauses the canary, and the
 * report it writes is opened in a real Chromium.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ProjectWorkspace } from "../projects/project-workspace.js";
import { BIN, cliEnv, REPO } from "../rig.js";
import { CHROMIUM, describeWith } from "../requirements.js";
import { signingEnv } from "../signers.js";
import { liveWindows, type Reference, type WindowPolicy } from "./html-report-windows.js";

/** Where the screenshot is kept for people to look at (git-ignored). */
const SCREENSHOT = join(REPO, "test-artifacts", "report.png");
const PROJECTS = ["eta", "ranking", "forecast", "vision"];
const WINDOW_FILE = "projects/eta/live/report-test.jsonl";


describeWith(CHROMIUM, "sluice report", () => {
  let ws: ProjectWorkspace;
  let browser: Browser;
  let page: Page;
  let report: { ok: boolean; out: string; projects: { name: string; releases: number; live: Record<string, string>; windows: number }[] };
  let lastRun: Record<string, { key: string; status: string }>;
  const problems: string[] = [];
  const requests: string[] = [];

  const cli = (args: readonly string[], actor = "release-bot"): string =>
    execFileSync(process.execPath, [BIN, ...args], { cwd: ws.root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: cliEnv({ SLUICE_ACTOR: actor, ...signingEnv(actor) }) });

  beforeAll(async () => {
    // Whoever builds the releases; approving them needs someone else.
    ws = new ProjectWorkspace(PROJECTS, { actor: "release-bot" });
    ws.story("eta", "v1");
    expect(ws.run(["eta"]).ok).toBe(true);
    const references = ws.json<{ reference?: Record<string, Reference> }>("eta", "reports/evaluation.json").reference ?? {};
    cli(["approve", "eta", "eta_v1", "--role", "ml_lead", "--note", "slices reviewed"], "alice");
    cli(["promote", "eta", "eta_v1", "--to", "production"]);
    ws.story("eta", "v3");
    expect(ws.run(["eta"]).ok).toBe(true);
    ws.story("eta", "v2");
    const held = ws.run(["eta"]);
    lastRun = Object.fromEntries(held.stages.map((s) => [s.id, s as unknown as { key: string; status: string }]));

    const policy = (JSON.parse(readFileSync(join(ws.root, "contracts", "promotion_policy.json"), "utf8")) as { projects: Record<string, { monitor: { criteria: WindowPolicy } }> })
      .projects["eta"]!.monitor.criteria;
    mkdirSync(join(ws.root, "projects", "eta", "live"), { recursive: true });
    writeFileSync(join(ws.root, WINDOW_FILE), liveWindows("eta", "eta_v1", "eta_v2", policy, references));

    // The monitor pauses the canary (the story's pause windows, pointed at this canary): its reason goes on the timeline.
    const pause = readFileSync(join(ws.root, "projects/eta/live/canary-pause.jsonl"), "utf8").replaceAll('"eta_v3"', '"eta_v2"');
    writeFileSync(join(ws.root, "pause.jsonl"), pause);
    cli(["monitor", "eta", "--windows", "pause.jsonl"]);

    report = JSON.parse(cli(["report", "--json"])) as typeof report;
    browser = await chromium.launch({
      executablePath: CHROMIUM.path as string,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith("file://")) requests.push(request.url());
    });
    await page.goto(`file://${report.out}`);
  });

  afterAll(async () => {
    await browser?.close();
    ws?.dispose();
  });

  test("writes one self-contained file and says where in --json", () => {
    expect(report.ok).toBe(true);
    expect(report.out).toBe(join(ws.root, "report", "index.html"));
    const eta = report.projects.find((p) => p.name === "eta");
    expect(eta).toMatchObject({ releases: 3, live: { canary: "eta_v2", production: "eta_v1" } });
    expect(eta?.windows).toBeGreaterThanOrEqual(14);
    const html = readFileSync(report.out, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|<img\b|@import/i);
  });

  test("loads in Chromium with no console errors and no network requests", () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  test("the DAG shows every stage id of the workspace, coloured by last status", async () => {
    const dag = JSON.parse(cli(["dag", "--format", "json"])) as { stages: { id: string }[] };
    expect(dag.stages).toHaveLength(24);
    for (const { id } of dag.stages) await expect(page.locator(`[data-stage-id="${id}"]`).count()).resolves.toBe(1);
    const status = (id: string) => page.locator(`[data-stage-id="${id}"]`).getAttribute("data-status");
    await expect(status("eta:snapshot")).resolves.toBe("cached");
    await expect(status("eta:train")).resolves.toBe("ran");
    await expect(status("eta:promote")).resolves.toBe("held");
    await expect(status("ranking:train")).resolves.toBe("stale");
  });

  test("clicking a stage shows its key, duration and output digests", async () => {
    await page.locator('[data-stage-id="eta:train"]').click();
    const panel = page.locator('section.detail[id^="node--eta"]:visible');
    await expect(panel.count()).resolves.toBe(1);
    const text = await panel.innerText();
    expect(text).toContain("eta:train");
    expect(text).toContain(lastRun["eta:train"]!.key);
    expect(text).toMatch(/duration\s+\d+(\.\d+)? m?s/);
    expect(text).toMatch(/model\s+projects\/eta\/model\/delay_model\.json\s+[0-9a-f]{16}-\d+/);
  });

  test("clicking a held release shows its failed gates", async () => {
    const chip = page.locator(".release-chip", { has: page.locator(".standing-held") });
    await expect(chip.count()).resolves.toBe(1);
    const release = (await chip.getAttribute("data-release"))!;
    const detail = page.locator(`[data-release-detail="${release}"]`);
    await expect(detail.isVisible()).resolves.toBe(false);
    await chip.click();
    await expect(detail.isVisible()).resolves.toBe(true);
    await expect(detail.locator(".failed-gates").innerText()).resolves.toContain("critical_slice_pass");
    await expect(detail.locator('tr.fail[data-gate="critical_slice_pass"]').isVisible()).resolves.toBe(true);
    mkdirSync(join(REPO, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  test("the release timeline gives a monitor decision with its reason: a pause names the labels missing", async () => {
    const timeline = await page.locator('[data-project="eta"]').innerText();
    expect(timeline).toMatch(/pause canary eta_v2: needs \d+ more labelled outcomes/);
  });

  test("shows the gate tables of canary and production, with evidence a click away", async () => {
    const headings = await page.locator('[data-project="eta"] h4').allInnerTexts();
    expect(headings).toEqual(expect.arrayContaining(["canary: eta_v2", "production: eta_v1"]));
    const link = page.locator('[data-project="eta"] table.gates a.evidence-link:visible').first();
    const target = (await link.getAttribute("href"))!.slice(1);
    await link.click();
    await expect(page.locator(`details[id="${target}"]`).getAttribute("open")).resolves.toBe("");
    await expect(page.locator(`details[id="${target}"]`).isVisible()).resolves.toBe(true);
  });

  test("plots the window file and traces the live release back to its data snapshot", async () => {
    const chip = page.locator(`[data-feed="${WINDOW_FILE}"]`);
    if ((await chip.count()) > 0) await chip.click();
    const feed = page.locator(`[data-feed-panel="${WINDOW_FILE}"]`);
    await expect(feed.isVisible()).resolves.toBe(true);
    await expect(feed.locator("figure.chart").count()).resolves.toBe(3);
    const lineage = await page.locator('[data-project="eta"] [data-lineage="eta_v1"]').innerText();
    expect(lineage).toContain("@production");
    expect(lineage).toMatch(/data snapshot\s+carrier_events_/);
  });

  test("outside a workspace it is a usage error (exit 2)", () => {
    const empty = mkdtempSync(join(tmpdir(), "sluice-report-empty-"));
    try {
      const result = spawnSync(process.execPath, [BIN, "report", "--json"], { cwd: empty, encoding: "utf8", env: cliEnv() });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("no sluice workspace");
      // Under --json, stdout still carries one document: the error's.
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { kind: "usage", message: expect.stringContaining("no sluice workspace") } });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
