/** Public surface of `exec/`: plan or run a build, record it. */
export { runBuild, type BuildOptions, type BuildResult } from "./build.js";
export { planBuild, type PlanOptions } from "./plan-build.js";
export type { BuildObserver, DifferingOutput, FailureReason, JobProvenance, JobState, StageFailure, StageResult, StageStatus, Verification } from "./events.js";
export type { ExecutedStage } from "./stage-attempt.js";
export { gitCommit, recordRun } from "./record-run.js";
export { restoreOutputs } from "./outputs.js";
export { chooseExecutors, executorOf, jobStillRunning, keyCheckingExecutor, parseExecutorRules, type ExecutorChooser, type ExecutorContext, type StageExecutor } from "./executors/index.js";
export { fetchUrl, type Fetched } from "./url-deps.js";
