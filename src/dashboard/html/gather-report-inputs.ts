/**
 * Reads what the report model is built from, given the loaded workspace and
 * a dry run: the run history and records, the registry, the promotion
 * policy, each project's live windows and the reference distributions of
 * the releases those windows served. A part that cannot be read becomes a
 * note on the page; only the workspace itself must load.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PromotionPolicy } from "../../../contracts/index.js";
import { readHistory, type CacheSession, type RunRecord } from "../../cache/index.js";
import type { BuildResult } from "../../exec/index.js";
import type { Distribution } from "../../monitor/index.js";
import type { Workspace } from "../../pipeline/index.js";
import { describeRefusal, loadPromotionPolicy, openWorkspaceRegistry, POLICY_FILE, recordedReferences, RegistryState } from "../../registry/index.js";
import type { ReportInputs } from "./build-report-model.js";
import type { PlotView } from "./plot-view.js";
import { readProjectWindows, type ProjectWindows } from "./read-report-files.js";

/** Gathers the inputs of `buildReportModel`; the workspace's plots are read by the caller (src/ops), their problems become notes. */
export async function gatherReportInputs(
  workspace: Workspace,
  cache: CacheSession,
  dryRun: BuildResult,
  plots: { readonly plots: readonly PlotView[]; readonly problems: readonly string[] },
  now: Date,
): Promise<ReportInputs> {
  const notes: string[] = plots.problems.map((p) => `plot ${p}`);
  const history = await readHistory(cache.layout.history);
  const records = new Map<string, RunRecord>();
  for (const result of dryRun.results) {
    if (result.key === undefined) continue;
    const { record } = await cache.records.get(result.key);
    if (record) records.set(result.key, record);
  }
  const registry = await readRegistry(workspace.root, notes);
  const policy = await readPolicy(workspace.root, notes);
  const windows = new Map<string, ProjectWindows>();
  const references = new Map<string, Readonly<Record<string, Distribution>>>();
  for (const project of workspace.projects) {
    const read = await readProjectWindows(workspace.root, project.name, project.dir);
    windows.set(project.name, read);
    // Only releases that served windows need their references; each is one read of the store.
    for (const release of new Set(read.files.flatMap((f) => f.windows.map((w) => w.release)))) {
      const record = registry.release(project.name, release);
      const recorded = record ? (await recordedReferences(cache.store, record.manifest)).references : undefined;
      if (recorded) references.set(`${project.name}/${release}`, recorded);
    }
  }
  return {
    workspace,
    generatedAt: now.toISOString(),
    stages: {
      current: new Map(dryRun.results.map((r) => [r.id as string, r])),
      history,
      record: (key) => records.get(key),
    },
    registry,
    policy,
    windows,
    references: (project, release) => references.get(`${project}/${release}`),
    plots: plots.plots,
    notes,
  };
}

/** The registry's state; an empty state (and a note) when it cannot be read. */
async function readRegistry(root: string, notes: string[]): Promise<RegistryState> {
  const opened = await openWorkspaceRegistry(root);
  if (!opened.ok) {
    notes.push(`registry not shown: ${opened.error}`);
    return RegistryState.fold([]);
  }
  try {
    return await opened.value.registry.state();
  } catch (error) {
    notes.push(`registry not shown: ${(error as Error).message} (sluice verify names the broken line)`);
    return RegistryState.fold([]);
  }
}

/** The promotion policy; a workspace without one is fine, a broken one is a note. */
async function readPolicy(root: string, notes: string[]): Promise<PromotionPolicy | undefined> {
  if (!existsSync(join(root, POLICY_FILE))) return undefined;
  const loaded = await loadPromotionPolicy(root);
  if (loaded.ok) return loaded.value;
  notes.push(`promotion policy not used: ${describeRefusal(loaded.error)}`);
  return undefined;
}
