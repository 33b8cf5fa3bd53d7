/**
 * `sluice report`: the HTML report of the workspace (DAGs by planned
 * status, release timelines, live gates, monitoring plots, lineage) written
 * as one self-contained file, and a summary of what it holds.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { openCache } from "../cache/index.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import type { OpResult } from "./failure.js";
import { planStages } from "./plan-stages.js";
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
  const out = reportPath(request.out, request.cwd, loaded.root);
  const html = await import("../dashboard/html/index.js");
  const cache = await openCache(loaded.root);
  const build = await planStages(cache, loaded, new Set(loaded.dag.stages.keys()));
  const model = html.buildReportModel(await html.gatherReportInputs(loaded.workspace, cache, build, new Date()));
  mkdirSync(dirname(out), { recursive: true });
  writeFileAtomicSync(out, html.renderReportPage(model));
  const projects = model.projects.map((p) => ({
    name: p.name,
    stages: p.dag.nodes.length,
    releases: p.releases.length,
    live: Object.fromEntries(p.gateTables.map((t) => [t.alias, t.release])),
    windows: p.monitor.feeds.reduce((n, f) => n + f.windowCount, 0),
  }));
  return { ok: true, value: { ok: true, out, projects, notes: model.notes } };
}

function reportPath(out: string | undefined, cwd: string, root: string): string {
  if (out === undefined) return join(root, DEFAULT_REPORT);
  const path = resolve(cwd, out);
  const isFolder = out.endsWith("/") || (existsSync(path) && statSync(path).isDirectory());
  return isFolder ? join(path, "index.html") : path;
}

/**
 * Best effort: hands the file to xdg-open and never waits for it or fails
 * the command. Returns the line to show: that it is opening, or why not.
 */
export function openInBrowser(file: string, onProblem: (message: string) => void): string {
  const opener = (process.env["PATH"] ?? "").split(delimiter).map((dir) => join(dir, "xdg-open")).find((p) => existsSync(p));
  if (!opener) return `--open: xdg-open is not available; open ${file} in a browser`;
  const child = spawn(opener, [file], { detached: true, stdio: "ignore" });
  child.on("error", (error) => onProblem(`--open: ${error.message}; open ${file} in a browser`));
  child.unref();
  return `opening ${file} with xdg-open`;
}
