/**
 * Gathers the report model from what has already been read: the validated
 * workspace, the dry run and run history, the registry state, the promotion
 * policy and the live windows. Pure: no file is read here.
 */
import type { PromotionPolicy } from "../../../contracts/index.js";
import type { Distribution, MonitorPolicy } from "../../monitor/index.js";
import { parseStageId, type Workspace } from "../../pipeline/index.js";
import type { RegistryState } from "../../registry/index.js";
import { layoutDag } from "./dag-layout.js";
import { gateTables, liveLineage } from "./live-releases.js";
import { monitorView } from "./monitor-series.js";
import type { PlotView } from "./plot-view.js";
import type { ProjectWindows } from "./read-report-files.js";
import { aliasSpans, releaseSummaries, timelineEntries } from "./release-timeline.js";
import type { ProjectReport, ReportModel } from "./report-model.js";
import { stageNodes, type StageEvidence } from "./stage-nodes.js";

/** Everything the model is built from. */
export interface ReportInputs {
  readonly workspace: Workspace;
  readonly generatedAt: string;
  readonly stages: StageEvidence;
  /** The registry's state; an empty one when the workspace has no registry yet. */
  readonly registry: RegistryState;
  /** The promotion policy, when the workspace has a valid one. */
  readonly policy: PromotionPolicy | undefined;
  readonly windows: ReadonlyMap<string, ProjectWindows>;
  /** Reference distributions recorded for a release. */
  readonly references: (project: string, release: string) => Readonly<Record<string, Distribution>> | undefined;
  /** The workspace's plots (every project's), by the stage writing each. */
  readonly plots: readonly PlotView[];
  /** Problems met while reading, shown at the top of the page. */
  readonly notes: readonly string[];
}

/** Builds the model: one section per project, in workspace order. */
export function buildReportModel(inputs: ReportInputs): ReportModel {
  return {
    generatedAt: inputs.generatedAt,
    workspace: inputs.workspace.root,
    projects: inputs.workspace.projects.map((project) => projectReport(inputs, project.name, project.stages)),
    notes: inputs.notes,
  };
}

function projectReport(inputs: ReportInputs, project: string, stageIds: readonly string[]): ProjectReport {
  const stages = stageIds.flatMap((id) => {
    const parsed = parseStageId(id);
    const stage = parsed && inputs.workspace.stages.get(parsed);
    return stage ? [stage] : [];
  });
  const nodes = stageNodes(stages, inputs.stages);
  const state = inputs.registry;
  const windows = inputs.windows.get(project) ?? { dir: "", files: [], problems: [] };
  const monitorPolicy = monitorPolicyOf(state, inputs.policy, project);
  return {
    name: project,
    dag: layoutDag(nodes.map((node, i) => ({ node, upstream: stages[i]?.upstream ?? [] }))),
    releases: releaseSummaries(state, project),
    timeline: timelineEntries(state, project),
    aliasSpans: aliasSpans(state, project),
    gateTables: gateTables(state, project),
    monitor: monitorView({
      ...windows,
      policy: monitorPolicy?.policy,
      policySource: monitorPolicy?.source,
      references: (release) => inputs.references(project, release),
    }),
    lineage: liveLineage(state, project),
    plots: inputs.plots.filter((plot) => stageIds.includes(plot.stage)),
  };
}

/**
 * The criteria the plots draw thresholds from: those production's release
 * shipped with (the policy of record for what is live), else the canary's,
 * else the project's entry in the policy file.
 */
function monitorPolicyOf(
  state: RegistryState,
  policy: PromotionPolicy | undefined,
  project: string,
): { policy: MonitorPolicy; source: string } | undefined {
  for (const alias of ["production", "canary"]) {
    const release = state.aliasTarget(project, alias);
    const record = release === null ? undefined : state.release(project, release);
    if (record) return { policy: record.manifest.monitorPolicy.criteria, source: `${record.manifest.monitorPolicy.id}, shipped with ${alias} release ${record.release}` };
  }
  const fromFile = policy?.projects[project]?.monitor;
  return fromFile ? { policy: fromFile.criteria, source: `${fromFile.id} (contracts/promotion_policy.json)` } : undefined;
}
