/**
 * Public surface of `ops/`: the operations the CLI (and tests) call. Each
 * returns a result document or a typed failure (`OpFailure`, keyed by
 * `kind`); none parses arguments or decides an exit code.
 */
export { refuse, refuseWith, type FailureKind, type OpFailure, type OpResult } from "./failure.js";
export { collectGarbage, type GarbageCollected } from "./collect-garbage.js";
export { explainStale } from "./explain-stale.js";
export { explainStage, type StageExplanation } from "./explain-stage.js";
export { graduate, type Graduated, type GraduateRequest } from "./graduate-notebook.js";
export { planStages } from "./plan-stages.js";
export { htmlOutputPath, openInBrowser, writeHtmlPage } from "./html-page.js";
export { DEFAULT_REPORT, writeReport, type WrittenReport } from "./write-report.js";
export { workspaceStatus, type StatusRow, type WorkspaceStatus } from "./workspace-status.js";
export { initWorkspace, type InitializedWorkspace } from "./init-workspace.js";
export { loadWorkspaceAt, type LoadRequest } from "./load-workspace.js";
export type { DecisionReport, MonitorDocument, MonitorNotes, MonitorPass, MonitorRequest, RetrainReport } from "./monitor-pass.js";
export type { RetrainOutcome } from "./retrain.js";
export { describeRetrain, type RetrainDecision } from "./retrain-summary.js";
export { openRemote, peekDuration, type RemoteArgs } from "./remote.js";
export { pinUrl, type PinnedUrl } from "./pin-url.js";
export { diffRuns, listRuns, whereRan, type RunComparison } from "./run-history.js";
export { runOnce, type LoadedWorkspace, type RunOutcome } from "./run-once.js";
export type { ParamOverrides, RunRequest } from "./run-request.js";
export { parseParamOverrides } from "./param-overrides.js";
export { planDocument, planShards, shardStages, stageDurations, type ShardPlanDocument } from "./shard-plan.js";
export { rerunStages } from "./verify-rerun.js";
export { verifyWorkspace, type Verification, type VerifyRequest } from "./verify-workspace.js";
// The registry operations import the registry on use: listing them here costs `sluice run` nothing.
export { approveRelease, promoteRelease, rollbackAlias, traceRelease, type ApproveRequest, type PromoteRequest, type RollbackRequest } from "./registry-moves.js";
export { anchorLog, exportLog, importLog, syncAliases } from "./registry-transfers.js";
export { aliasHistory, listReleases, showRelease } from "./registry-views.js";
export { reportWatchSet } from "./watch-set.js";

// The monitor pass, retrain and watch are loaded on first use: a run (which loads this index)
// never pays for the registry and monitor modules, nor for the watch loop.

/** Watches the workspace and reruns on changes (see watch-loop.ts). */
export async function watchWorkspace(...args: Parameters<typeof import("./watch-loop.js").watchWorkspace>): ReturnType<typeof import("./watch-loop.js").watchWorkspace> {
  return (await import("./watch-loop.js")).watchWorkspace(...args);
}

/** One monitoring pass (see monitor-pass.ts). */
export async function monitorPass(...args: Parameters<typeof import("./monitor-pass.js").monitorPass>): ReturnType<typeof import("./monitor-pass.js").monitorPass> {
  return (await import("./monitor-pass.js")).monitorPass(...args);
}

/** Retrains a project from a later snapshot (see retrain.ts). */
export async function retrainProject(...args: Parameters<typeof import("./retrain.js").retrainProject>): ReturnType<typeof import("./retrain.js").retrainProject> {
  return (await import("./retrain.js")).retrainProject(...args);
}
export { lockOf, sideFiles, sidesNamed, sidesOf, type LabelledSide } from "./compare-sides.js";
export { metricsDiff, metricsShow, type MetricsDiff } from "./metrics-values.js";
export { outputFiles, workspaceFiles, type HeldFile, type OutputFiles } from "./output-files.js";
export { compareValues, listedByDefault, metricsOn, paramsOn, type Side, type TrackedSide, type TrackedValue, type ValueChange } from "./tracked-values.js";
export { comparePlots, workspacePlots, type PlotsDocument } from "./plots.js";

/** The experiment operations (`sluice exp`; `gc` keeps what they need), loaded on first use. */
export const loadExperiments = () => import("./experiments.js");
