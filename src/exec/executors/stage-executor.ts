/**
 * The executor seam: where a stage that missed the cache executes. The
 * build asks `ExecutorChooser` once per executing stage; `undefined` means
 * here, on this machine (the local runners). Another executor (a cluster)
 * receives the same inputs, the same key, and a way to execute locally
 * should it need to; it returns the same `ExecutedStage` a local run would.
 */
import type { CacheSession } from "../../cache/index.js";
import type { Stage } from "../../pipeline/index.js";
import type { FailureReason, JobProvenance } from "../events.js";
import type { ExecuteOptions, ExecutedStage } from "../execute-stage.js";

/** Executes a stage on this machine, as the build would without an executor. */
export type LocalExecution = (options: ExecuteOptions) => Promise<ExecutedStage>;

/** Something other than the local runners that can execute a stage. */
export interface StageExecutor {
  /** Its name in messages and the run history (`slurm`). */
  readonly name: string;
  execute(cache: CacheSession, options: ExecuteOptions, local: LocalExecution): Promise<ExecutedStage>;
}

/** Picks the executor of a stage about to execute; undefined for local. */
export type ExecutorChooser = (stage: Stage) => StageExecutor | undefined;

/** A failed stage as an executor reports it: no outputs, no record, the reason and the log's last lines. */
export function failedStage(
  options: ExecuteOptions,
  startedAt: Date,
  failure: { reason: FailureReason; message: string },
  logTail: string | undefined,
  job?: JobProvenance,
): ExecutedStage {
  return {
    result: {
      id: options.stage.id,
      status: "failed",
      key: options.key,
      durationMs: Date.now() - startedAt.getTime(),
      outs: {},
      decisions: [],
      failure,
      logTail: logTail || undefined,
      why: [],
      warnings: [],
      ...(job ? { job } : {}),
    },
    params: options.params,
    components: options.components,
    startedAt: startedAt.toISOString(),
    metrics: undefined,
  };
}

/**
 * The executor of a cluster job's own run (`sluice job`): executes the one
 * stage locally, but only under the key the submitter computed. A node
 * whose checkout or inputs differ (another commit, an uncommitted edit on
 * the submitter) would compute another key; it fails instead of running
 * and publishing outputs the submitter did not ask for.
 */
export function keyCheckingExecutor(expected: string): StageExecutor {
  return {
    name: "local",
    execute: async (_cache, options, local) => {
      if (options.key === expected) return local(options);
      return failedStage(
        options,
        new Date(),
        {
          reason: "key-mismatch",
          message: `this checkout computes key ${options.key} but the submitter asked for ${expected}: is the node at the submitter's commit, with its uncommitted changes committed?`,
        },
        undefined,
      );
    },
  };
}
