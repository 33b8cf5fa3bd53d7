/**
 * The executor seam: where a stage that missed the cache executes. The
 * build asks `ExecutorChooser` once per executing stage; `undefined` means
 * here, on this machine (execute-stage.ts with the local runners). Another
 * executor (a cluster) receives the same work, the same key, and a way to
 * execute locally should it need to; it returns the same `ExecutedStage` a
 * local execution would.
 */
import type { Stage } from "../../pipeline/index.js";
import type { ExecuteHooks, ExecutionContext } from "../execute-stage.js";
import { StageAttempt, type ExecutedStage, type StageWork } from "../stage-attempt.js";

/** Executes a stage on this machine, as the build would without an executor. */
export type LocalExecution = (work: StageWork, hooks: ExecuteHooks) => Promise<ExecutedStage>;

/** Something other than this machine that can execute a stage. */
export interface StageExecutor {
  /** Its name in messages and the run history (`slurm`). */
  readonly name: string;
  execute(context: ExecutionContext, work: StageWork, hooks: ExecuteHooks, local: LocalExecution): Promise<ExecutedStage>;
}

/** Picks the executor of a stage about to execute; undefined for local. */
export type ExecutorChooser = (stage: Stage) => StageExecutor | undefined;

/**
 * The executor of a cluster job's own run (`sluice job`): executes the one
 * stage locally, but only under the key the submitter computed. A node
 * whose checkout or inputs differ (another commit, an uncommitted edit on
 * the submitter) would compute another key; it fails instead of running
 * and publishing outputs the submitter did not ask for. `mayKeep` is asked
 * before its outputs are kept (is the job still running?).
 */
export function keyCheckingExecutor(expected: string, mayKeep?: ExecuteHooks["mayKeep"]): StageExecutor {
  return {
    name: "local",
    execute: async (_context, work, hooks, local) => {
      if (work.key === expected) return local(work, mayKeep ? { ...hooks, mayKeep } : hooks);
      return new StageAttempt(work, hooks.onLog).failed(
        "key-mismatch",
        `this checkout computes key ${work.key} but the submitter asked for ${expected}: is the node at the submitter's commit, with its uncommitted changes committed?`,
      );
    },
  };
}
