/**
 * Where a stage's action (its command or function) runs on this machine,
 * behind one small interface.
 *
 *   execute-stage ──> runnerFor(stage) ──> ActionRunner.run(request) ──> ActionOutcome
 *                                               │
 *                                               └─ writes request.tempOuts, streams onOutput,
 *                                                  stops on signal (reason "interrupted")
 *
 * The execution step (execute-stage.ts) does everything around the action
 * the same way whatever runs it: before, it lays out the stage's shadow tree
 * (deps linked for commands, room for every output) and names the temp path
 * of each output; after, it checks undeclared files, json contracts and
 * metrics, confirms the deps did not change, stores the outputs and writes
 * the run record. A runner only makes the action happen and says how it ended.
 *
 * The runners are local (local-runners.ts): `cmd` stages in a reused shell,
 * `run` stages in a worker thread. A stage that executes elsewhere (a Slurm
 * job) is not a runner: its executor (executors/stage-executor.ts) takes the
 * whole execution, and the job on its node comes back here.
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

/** Runs stage actions. */
export interface ActionRunner {
  run(request: ActionRequest): Promise<ActionOutcome>;
}
