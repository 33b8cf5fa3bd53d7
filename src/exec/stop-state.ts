/**
 * Whether a stage that is ready may still start. Two things stop a run:
 * a failure (unless `--keep-going`) and an interrupt (Ctrl-C, SIGTERM).
 * Stages already running finish or are stopped by the signal themselves;
 * this only keeps new ones from starting.
 */
import type { StageResult } from "./events.js";

export class StopState {
  readonly #keepGoing: boolean;
  readonly #signal: AbortSignal;
  #failed = false;

  constructor(keepGoing: boolean, signal: AbortSignal) {
    this.#keepGoing = keepGoing;
    this.#signal = signal;
  }

  /** Takes note of a settled stage: a failure stops the run unless it keeps going. */
  note(result: StageResult): void {
    if (result.status === "failed" && !this.#keepGoing) this.#failed = true;
  }

  /** Why a stage must not start now, or undefined when it may. */
  get why(): string | undefined {
    if (this.#signal.aborted) return "the run was interrupted";
    return this.#failed ? "the run stopped after a failure" : undefined;
  }

  /** True once the run was interrupted. */
  get interrupted(): boolean {
    return this.#signal.aborted;
  }
}
