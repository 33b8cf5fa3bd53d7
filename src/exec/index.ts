/** Public surface of `exec/`: run a plan, record it, watch for changes. */
export { runBuild, type BuildOptions, type BuildResult } from "./build.js";
export type { BuildObserver, DifferingOutput, FailureReason, JobProvenance, JobState, StageFailure, StageResult, StageStatus, Verification } from "./events.js";
export type { ExecutedStage } from "./execute-stage.js";
export { gitCommit, recordRun } from "./record-run.js";
export { chooseExecutors, executorOf, keyCheckingExecutor, parseExecutorRules, type ExecutorChooser, type ExecutorContext, type StageExecutor } from "./executors/index.js";
