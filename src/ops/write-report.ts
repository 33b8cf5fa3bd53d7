/**
 * `sluice report`: the HTML report of the workspace (DAGs by planned
 * status, release timelines, live gates, monitoring plots, the workspace's
 * plots, lineage) written
 * as one self-contained file, and a summary of what it holds.
 */
import { join } from "node:path";
import { openCache } from "../cache/index.js";
import type { OpResult } from "./failure.js";
import { htmlOutputPath, writeHtmlPage } from "./html-page.js";
import { planStages } from "./plan-stages.js";
import { workspacePlots } from "./plots.js";
import type { LoadedWorkspace } from "./run-once.js";

/** Where the report goes when `--out` is not given, relative to the workspace root (git-ignored). */
export const DEFAULT_REPORT = join("report", "index.html");

export interface WrittenReport {
  readonly ok: true;
  /** Absolute path of the file written. */
  readonly out: string;
  readonly projects: readonly { name: string; stages: number; releases: number; live: Record<string, string>; windows: number }[];
  /** What the report could not show (an unreadable window file), each worth a warning. */
  readonly notes: readonly string[];
}

/** Writes the report to `out` (relative to `cwd`; a folder gets `index.html`), by default `report/index.html` in the workspace. */
export async function writeReport(loaded: LoadedWorkspace, request: { readonly out: string | undefined; readonly cwd: string }): Promise<OpResult<WrittenReport>> {
  const out = htmlOutputPath(request.out, request.cwd, loaded.root, DEFAULT_REPORT);
  const html = await import("../dashboard/html/index.js");
  const cache = await openCache(loaded.root);
  const build = await planStages(cache, loaded, new Set(loaded.dag.stages.keys()));
  const inputs = await html.gatherReportInputs(loaded.workspace, cache, build, await workspacePlots(loaded.workspace), new Date());
  const model = html.buildReportModel(inputs);
  writeHtmlPage(out, html.renderReportPage(model));
  const projects = model.projects.map((p) => ({
    name: p.name,
    stages: p.dag.nodes.length,
    releases: p.releases.length,
    live: Object.fromEntries(p.gateTables.map((t) => [t.alias, t.release])),
    windows: p.monitor.feeds.reduce((n, f) => n + f.windowCount, 0),
  }));
  return { ok: true, value: { ok: true, out, projects, notes: model.notes } };
}
