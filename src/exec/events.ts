/**
 * What the executor tells the outside world. Statuses are documented once
 * here; every `switch` over them ends in `unreachable`.
 */
import type { RecordedOut, StageKey } from "../cache/index.js";
import type { StageDecision, StageId } from "../pipeline/index.js";

/**
 * - `ran`       executed, outputs stored
 * - `cached`    a hit, the workspace already held the outputs
 * - `restored`  a hit, outputs copied back from the store
 * - `failed`    executed and failed (no record, nothing under the output paths)
 * - `interrupted` was running when the run was interrupted (Ctrl-C, SIGTERM):
 *               stopped, no record, nothing under the output paths
 * - `skipped`   not run: an upstream stage failed or was interrupted, or the run stopped
 * - `held`      a promotion that succeeded but moved nothing
 * - `would-run` dry run only: the stage is stale and would execute
 */
export type StageStatus = "ran" | "cached" | "restored" | "failed" | "interrupted" | "skipped" | "held" | "would-run";

/** Kebab-case reasons a stage fails. */
export type FailureReason =
  | "exit-non-zero"
  | "threw"
  | "missing-output"
  | "contract-violation"
  | "input-changed"
  | "missing-input"
  /** A source folder holds a symlink leading outside the workspace, nowhere, or back into itself. */
  | "unfollowable-link"
  | "external-unavailable"
  | "store-failed"
  | "unsatisfiable-resources"
  | "undeclared-output"
  | "unstorable-output"
  | "io-error"
  | "interrupted"
  | "job-failed"
  | "key-mismatch";

/** What an interrupted stage reports (its reason is "interrupted"). */
export const INTERRUPTED = "stopped by an interrupt: no output kept, nothing cached";

export interface StageFailure {
  readonly reason: FailureReason;
  readonly message: string;
}

/** The outcome of one planned stage. */
export interface StageResult {
  readonly id: StageId;
  readonly status: StageStatus;
  readonly key: StageKey | undefined;
  readonly durationMs: number;
  readonly outs: Readonly<Record<string, RecordedOut>>;
  readonly decisions: readonly StageDecision[];
  readonly failure: StageFailure | undefined;
  /** The last lines of the log of a failed stage. */
  readonly logTail: string | undefined;
  /** Dry run and forced runs: why the stage (would) run. */
  readonly why: readonly string[];
  /** Things worth knowing that did not fail the stage (undeclared outputs). */
  readonly warnings: readonly string[];
  /**
   * A hit whose workspace outputs differ from its record (dry runs: would
   * be restored; runs: were restored): each such output, and whether a
   * file was there (`modified`: its bytes differ) or not (`missing`).
   */
  readonly differing?: readonly DifferingOutput[];
  /** `verify --rerun`: whether re-executing into scratch space gave the recorded outputs. */
  readonly verification?: Verification;
  /** A stage executed as a cluster job: which job, on which node. */
  readonly job?: JobProvenance;
}

/** Where a stage executed when it ran as a cluster job. */
export interface JobProvenance {
  /** The executor's name (`slurm`). */
  readonly executor: string;
  /** The scheduler's job id. */
  readonly id: string;
  /** The node the job ran on, when the scheduler said. */
  readonly node: string | undefined;
}

/** A cluster job's state while it has not ended, for progress displays. */
export type JobState =
  | { readonly state: "queued"; readonly job: JobProvenance }
  | { readonly state: "running"; readonly job: JobProvenance };

/** A workspace output that is not what its run record says. */
export interface DifferingOutput {
  readonly path: string;
  readonly state: "missing" | "modified";
}

/** The outcome of re-executing a hit into scratch space. */
export type Verification =
  | { readonly outcome: "identical" }
  | { readonly outcome: "differs"; readonly outputs: readonly { name: string; recorded: string; rerun: string }[] }
  | { readonly outcome: "not-rerun"; readonly why: string };

/** Callbacks a reporter implements; all optional. */
export interface BuildObserver {
  onPlan?(stages: readonly StageId[]): void;
  onStart?(id: StageId): void;
  /** A stage executing as a cluster job was queued, or started on a node. */
  onJobState?(id: StageId, state: JobState): void;
  /** Output of a running stage, or the replayed log of a hit. */
  onLog?(id: StageId, text: string, replay: boolean): void;
  onResult?(result: StageResult): void;
  /** Something worth one line that is not a stage result (a corrupt object treated as a miss). */
  onWarning?(message: string): void;
  /** The workspace lock is held by another process and we are waiting. */
  onWaitForLock?(holder: string): void;
}
