/** Public surface of `exec/executors/slurm/`: stages as Slurm jobs, with the remote cache as the data plane. */
export { slurmJobEnding } from "./job-guard.js";
export { jobScript, resourceFlags, sbatchArgs, type JobSpec } from "./job-script.js";
export { SlurmExecutor, type SlurmRun } from "./slurm-executor.js";
export { DEFAULT_PREPARE, resolveSlurmSettings, type SlurmSettings } from "./slurm-settings.js";
