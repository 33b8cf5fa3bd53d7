/**
 * Public surface of `ops/`: the operations the CLI (and tests) call. Each
 * returns a result document or a typed failure (`OpFailure`, keyed by
 * `kind`); none parses arguments or decides an exit code.
 */
export { refuse, refuseWith, type FailureKind, type OpFailure, type OpResult } from "./failure.js";
export { explainStale } from "./explain-stale.js";
export { monitorPass, type DecisionReport, type MonitorDocument, type MonitorPass, type MonitorRequest, type RetrainReport } from "./monitor-pass.js";
export { describeRetrain, retrainProject, type RetrainDecision, type RetrainOutcome } from "./retrain.js";
export { openRemote, peekDuration, type RemoteArgs } from "./remote.js";
export { runOnce, type LoadedWorkspace, type RunOutcome } from "./run-once.js";
export type { ParamOverrides, RunRequest } from "./run-request.js";
export { planDocument, shardStages, stageDurations, type ShardPlanDocument } from "./shard-plan.js";
export { reportWatchSet } from "./watch-set.js";
