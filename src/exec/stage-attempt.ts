/**
 * One execution of one stage, as it goes: its start time, its log so far,
 * and the warnings it collected. Ends as an `ExecutedStage`, ran or failed.
 */
import type { Digest, KeyComponents, RecordedOut, StageKey } from "../cache/index.js";
import type { Json, Stage, StageDecision } from "../pipeline/index.js";
import type { FailureReason, StageResult } from "./events.js";

/** A stage that executed, with what the run history needs. */
export interface ExecutedStage {
  readonly result: StageResult;
  readonly params: Readonly<Record<string, Json>>;
  readonly components: KeyComponents;
  readonly startedAt: string;
  readonly metrics: Json | undefined;
}

/** One stage to execute, with the inputs its key was computed from. */
export interface StageWork {
  readonly stage: Stage;
  readonly params: Readonly<Record<string, Json>>;
  readonly components: KeyComponents;
  readonly key: StageKey;
  readonly depDigests: ReadonlyMap<string, Digest>;
  /** Keys of every upstream stage, transitively; computed only for the stages that read them. */
  readonly upstreamKeys: () => Readonly<Record<string, string>>;
  /** The resolved value of an external dep. */
  readonly depValue: (name: string) => Promise<Json>;
}

const LOG_TAIL_LINES = 20;

export class StageAttempt {
  readonly startedAt = new Date();
  /** Problems worth a line that do not fail the stage (undeclared outputs). */
  readonly warnings: string[] = [];
  readonly #work: StageWork;
  readonly #log: string[] = [];
  readonly #onLog: (text: string) => void;

  constructor(work: StageWork, onLog: (text: string) => void) {
    this.#work = work;
    this.#onLog = onLog;
  }

  /** Log text of the action: kept for the record, shown as it comes. */
  readonly output = (text: string): void => {
    this.#log.push(text);
    this.#onLog(text);
  };

  /** The whole log so far. */
  get log(): string {
    return this.#log.join("");
  }

  /** The stage ran (`ran`, or `held` for a promotion that moved nothing). */
  succeeded(status: "ran" | "held", outs: Readonly<Record<string, RecordedOut>>, decisions: readonly StageDecision[], metrics: Json | undefined): ExecutedStage {
    return this.#end({ status, key: this.#work.key, outs, decisions, failure: undefined, logTail: undefined }, metrics);
  }

  /** The stage failed (or was interrupted, its own status): the last lines of its log go with it. */
  failed(reason: FailureReason, message: string, decisions: readonly StageDecision[] = []): ExecutedStage {
    const tail = this.log.trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
    const status = reason === "interrupted" ? "interrupted" : "failed";
    return this.#end({ status, key: this.#work.key, outs: {}, decisions, failure: { reason, message }, logTail: tail || undefined }, undefined);
  }

  /** A filesystem failure around the action (disk full, permission denied): the system's message, no log tail. */
  crashed(message: string): ExecutedStage {
    return this.#end({ status: "failed", key: this.#work.key, outs: {}, decisions: [], failure: { reason: "io-error", message }, logTail: undefined }, undefined);
  }

  #end(result: Omit<StageResult, "id" | "durationMs" | "why" | "warnings">, metrics: Json | undefined): ExecutedStage {
    return {
      result: { ...result, id: this.#work.stage.id, durationMs: Date.now() - this.startedAt.getTime(), why: [], warnings: this.warnings },
      params: this.#work.params,
      components: this.#work.components,
      startedAt: this.startedAt.toISOString(),
      metrics,
    };
  }
}
