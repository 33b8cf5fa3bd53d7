/**
 * Public surface of `ops/`: the operations the CLI (and tests) call. Each
 * returns a result document or a typed failure (`OpFailure`, keyed by
 * `kind`); none parses arguments or decides an exit code.
 */
export { refuse, refuseWith, type FailureKind, type OpFailure, type OpResult } from "./failure.js";
export { explainStale } from "./explain-stale.js";
export type { DecisionReport, MonitorDocument, MonitorNotes, MonitorPass, MonitorRequest, RetrainReport } from "./monitor-pass.js";
export type { RetrainOutcome } from "./retrain.js";
export { describeRetrain, type RetrainDecision } from "./retrain-summary.js";
export { openRemote, peekDuration, type RemoteArgs } from "./remote.js";
export { runOnce, type LoadedWorkspace, type RunOutcome } from "./run-once.js";
export type { ParamOverrides, RunRequest } from "./run-request.js";
export { planDocument, shardStages, stageDurations, type ShardPlanDocument } from "./shard-plan.js";
export { rerunStages } from "./verify-rerun.js";
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
export { compareValues, metricsOn, paramsOn, type Side, type TrackedSide, type TrackedValue, type ValueChange } from "./tracked-values.js";
export { comparePlots, workspacePlots, type PlotsDocument } from "./plots.js";
