/** Public surface of `exec/`: plan or run a build, record it. */
export { runBuild, type BuildOptions, type BuildResult } from "./build.js";
export { planBuild, type PlanOptions } from "./plan-build.js";
export type { BuildObserver, DifferingOutput, FailureReason, StageFailure, StageResult, StageStatus, Verification } from "./events.js";
export type { ExecutedStage } from "./stage-attempt.js";
export type { ActionOutcome, ActionRequest, ExecutorChoice, StageExecutor } from "./stage-executor.js";
export { gitCommit, recordRun } from "./record-run.js";
