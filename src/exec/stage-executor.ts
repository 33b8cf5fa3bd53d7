/**
 * Where a stage's action runs, behind one small interface.
 *
 *   build ──stage──> executorFor(stage) ──> StageExecutor.run(request) ──> ActionOutcome
 *                     (undefined: local)        │
 *                                               └─ writes request.tempOuts, streams onOutput,
 *                                                  stops on signal (reason "interrupted")
 *
 * The execution step (execute-stage.ts) does everything around the action
 * the same way whatever runs it: before, it lays out the stage's shadow tree
 * (deps linked for commands, room for every output) and names the temp path
 * of each output; after, it checks undeclared files and json contracts,
 * confirms the deps did not change, stores the outputs and writes the run
 * record. An executor only makes the action happen and says how it ended.
 *
 * Today both executors are local (local-executors.ts): `cmd` stages in a
 * reused shell, `run` stages in a worker thread. A cluster executor (a Slurm
 * job) implements the same interface: the shadow lives under the
 * workspace's `cache/tmp`, so a job on a filesystem the cluster shares reads
 * and writes the very paths the request names. It is chosen per stage by
 * passing `executorFor` to `runBuild`; a stage it returns undefined for runs
 * locally.
 */
import type { Json, Stage, StageDecision } from "../pipeline/index.js";
import type { FailureReason } from "./events.js";

/** Everything an executor needs to run one stage's action. */
export interface ActionRequest {
  readonly stage: Stage;
  readonly workspaceRoot: string;
  /** Effective params (declared, with `--set` overrides). */
  readonly params: Readonly<Record<string, Json>>;
  /** The shadow tree standing in for the workspace root, and the command's working directory inside it. */
  readonly shadow: { readonly root: string; readonly cwd: string };
  /** Output name -> the temp path the action must write it to. */
  readonly tempOuts: Readonly<Record<string, string>>;
  /** Keys of every upstream stage, transitively (lineage handed to `run` stages); computed on demand. */
  readonly upstreamKeys: () => Readonly<Record<string, string>>;
  /** The resolved value of an external dep. */
  readonly depValue: (name: string) => Promise<Json>;
  /** Aborted on an interrupt: stop the action, report reason "interrupted". */
  readonly signal: AbortSignal;
  /** Log text of the action, in order. */
  readonly onOutput: (text: string) => void;
}

/** How an action ended: the decisions a promotion made, or why it failed. */
export type ActionOutcome =
  | { readonly ok: true; readonly decisions: readonly { readonly decision: StageDecision; readonly held: boolean }[] }
  | { readonly ok: false; readonly reason: FailureReason; readonly message: string };

/** Runs stage actions somewhere. */
export interface StageExecutor {
  run(request: ActionRequest): Promise<ActionOutcome>;
}

/** Picks the executor of a stage; undefined keeps the local one. */
export type ExecutorChoice = (stage: Stage) => StageExecutor | undefined;
