/**
 * Line-by-line progress on stderr, for CI and pipes: one line per finished
 * stage, stage output prefixed with its id, failures with their log tail.
 */
import type { BuildObserver, JobState, StageResult } from "../exec/index.js";
import type { StageId } from "../pipeline/index.js";
import { formatDuration, writeErr } from "./terminal.js";

export interface PlainOptions {
  /** Print the output of stages that run (and, with `verbose`, the replayed logs of hits). */
  readonly logs: boolean;
  /** List cached stages too, one line each, with their replayed logs. */
  readonly verbose: boolean;
}

export function plainReporter(options: PlainOptions): BuildObserver & { summary(results: readonly StageResult[]): void } {
  // A running stage's output arrives as its writes do, a line in pieces ("progress: " now, "50%\n" later):
  // each stage's unfinished line waits for its end, so every printed line is one of the stage's own.
  const unfinished = new Map<StageId, string>();
  const flush = (id: StageId) => {
    const rest = unfinished.get(id);
    unfinished.delete(id);
    if (rest) writeErr(`[${id}] ${rest}`);
  };
  return {
    onLog(id: StageId, text: string, replay: boolean) {
      // A hit's log was shown when it ran; replaying every one turns a no-op into pages (--verbose shows them).
      if (!options.logs || (replay && !options.verbose)) return;
      if (replay) return void writeErr(text.trimEnd().split("\n").map((line) => `[${id}] (cached) ${line}`).join("\n"));
      const lines = `${unfinished.get(id) ?? ""}${text}`.split("\n");
      unfinished.set(id, lines.pop() as string);
      if (lines.length > 0) writeErr(lines.map((line) => `[${id}] ${line}`).join("\n"));
    },
    onJobState(id, state) {
      writeErr(jobStateLine(id, state));
    },
    onWarning(message: string) {
      writeErr(`warning: ${message}`);
    },
    onWaitForLock(holder: string) {
      writeErr(`waiting for the workspace lock held by ${holder} ...`);
    },
    onResult(result: StageResult) {
      flush(result.id);
      // A thousand "cached" lines drown what changed; the summary counts them (--verbose lists them).
      if (result.status !== "cached" || options.verbose) writeErr(resultLine(result));
      for (const warning of result.warnings) writeErr(`warning: ${result.id}: ${warning}`);
      if ((result.status === "failed" || result.status === "interrupted") && result.logTail) {
        writeErr(result.logTail.split("\n").map((line) => `    | ${line}`).join("\n"));
      }
    },
    summary(results) {
      const counts = new Map<string, number>();
      for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      writeErr([...counts].map(([status, n]) => `${n} ${status}`).join(", ") || "nothing to do");
    },
  };
}

/** "queued    eta:train (slurm job 42)", "running   eta:train on node7 (slurm job 42)". */
export function jobStateLine(id: StageId, { state, job }: JobState): string {
  return `${state.padEnd(9)} ${id}${state === "running" && job.node ? ` on ${job.node}` : ""} (${job.executor} job ${job.id})`;
}

export function resultLine(result: StageResult): string {
  const time = result.status === "ran" || result.status === "failed" || result.status === "interrupted" || result.status === "held" ? ` (${formatDuration(result.durationMs)})` : "";
  const detail = result.failure ? `: ${result.failure.reason}: ${result.failure.message}` : result.why.length > 0 ? `: ${result.why.join("; ")}` : "";
  const where = result.job ? ` [${result.job.executor} job ${result.job.id}${result.job.node ? ` on ${result.job.node}` : ""}]` : "";
  const decision = result.decisions.map((d) => ` [${d.decision}${d["failed"] ? ` ${String(d["failed"])}` : ""}]`).join("");
  return `${result.status.padEnd(9)} ${result.id}${time}${where}${decision}${detail}`;
}
