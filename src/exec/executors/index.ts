/**
 * Public surface of `exec/executors/`: where stages that miss the cache
 * execute. Locally by default; on a Slurm cluster for the stages a
 * declaration (`executor: "slurm"`) or `--executor` sends there.
 */
import type { Stage, StageId, Workspace } from "../../pipeline/index.js";
import type { JobState } from "../events.js";
import { executorOf, parseExecutorRules } from "./executor-rules.js";
import type { ExecutorChooser } from "./stage-executor.js";

export { executorOf, parseExecutorRules, type ExecutorRule } from "./executor-rules.js";
export { keyCheckingExecutor, type ExecutorChooser, type LocalExecution, type StageExecutor } from "./stage-executor.js";

/** What choosing the run's executors needs to know. */
export interface ExecutorContext {
  readonly workspace: Workspace;
  /** The stages this run plans. */
  readonly planned: Iterable<StageId>;
  /** `--executor` values. */
  readonly executorSpecs: readonly string[];
  /** The remote cache, when one is configured. */
  readonly remote: { readonly url: string; readonly readOnly: boolean } | undefined;
  /** `--set` values, passed on to jobs. */
  readonly sets: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How a node runs this same sluice when the settings name no command. */
  readonly defaultCommand: string;
  readonly onJobState: (id: StageId, state: JobState) => void;
}

/**
 * The run's executor chooser: undefined when every planned stage executes
 * locally (the Slurm modules are then never loaded), or a usage message (a bad `--executor`, a cluster stage without
 * a writable remote cache, bad cluster settings).
 */
export async function chooseExecutors(context: ExecutorContext): Promise<{ ok: true; value: ExecutorChooser | undefined } | { ok: false; error: string }> {
  const parsed = parseExecutorRules(context.executorSpecs);
  if (!parsed.ok) return parsed;
  const onCluster = [...context.planned].map((id) => context.workspace.stages.get(id) as Stage).filter((s) => executorOf(s, parsed.rules) === "slurm");
  if (onCluster.length === 0) return { ok: true, value: undefined };
  const first = (onCluster[0] as Stage).id;
  if (!context.remote || context.remote.readOnly) {
    return {
      ok: false,
      error: `${first} runs on slurm, whose jobs take their inputs from and leave their outputs in the remote cache: give a writable --remote-cache <url> (or SLUICE_REMOTE_CACHE), or run it here with --executor local`,
    };
  }
  const { resolveSlurmSettings, SlurmExecutor } = await import("./slurm/index.js");
  const settings = resolveSlurmSettings(context.workspace.slurm, context.env, context.defaultCommand);
  if (!settings.ok) return settings;
  const slurm = new SlurmExecutor({ settings: settings.value, remoteUrl: context.remote.url, sets: context.sets, onJobState: context.onJobState });
  return { ok: true, value: (stage) => (executorOf(stage, parsed.rules) === "slurm" ? slurm : undefined) };
}

/**
 * What a cluster job's own run (`sluice job`) asks before it keeps a stage's
 * outputs: under Slurm (SLURM_JOB_ID set), whether the job still runs.
 */
export async function jobStillRunning(env: Readonly<Record<string, string | undefined>>): Promise<(() => Promise<string | undefined>) | undefined> {
  const jobId = env["SLURM_JOB_ID"];
  if (!jobId) return undefined;
  const { slurmJobEnding } = await import("./slurm/index.js");
  return () => slurmJobEnding(jobId);
}
