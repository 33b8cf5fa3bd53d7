/**
 * Progress on an interactive terminal: a listr2 task list with one task per
 * planned stage. The executor owns scheduling; each task merely waits for
 * its stage's result and shows it (cached / ran, duration).
 */
import { Listr, type ListrTaskWrapper } from "listr2";
import type { BuildObserver, StageResult } from "../exec/index.js";
import type { StageId } from "../pipeline/index.js";
import { jobStateLine, resultLine } from "./plain-reporter.js";
import { formatDuration, writeErr } from "./terminal.js";

interface Deferred {
  readonly promise: Promise<StageResult>;
  resolve(result: StageResult): void;
  task?: ListrTaskWrapper<unknown, never, never>;
}

export function listrReporter(): BuildObserver & { done(): Promise<void> } {
  const deferred = new Map<StageId, Deferred>();
  let running: Promise<unknown> = Promise.resolve();
  const warnings: string[] = [];
  return {
    onPlan(stages) {
      for (const id of stages) {
        let resolve!: (result: StageResult) => void;
        const promise = new Promise<StageResult>((r) => (resolve = r));
        deferred.set(id, { promise, resolve });
      }
      const list = new Listr(
        stages.map((id) => ({
          title: id,
          task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
            const entry = deferred.get(id) as Deferred;
            entry.task = task;
            const result = await entry.promise;
            task.title = titleOf(result);
            // An interrupted stage shows as a failed task (it did not finish), titled with its own status.
            if (result.status === "failed" || result.status === "interrupted") throw new Error(failureText(result));
            if (result.status === "skipped") task.skip(titleOf(result));
          },
        })),
        // Ctrl-C is the run's to handle (stop the stages, record, exit 130): listr2's own handler would exit 127 at once.
        { concurrent: true, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseErrors: false } } as never,
      );
      running = list.run().catch(() => undefined);
    },
    onStart(id) {
      const task = deferred.get(id)?.task;
      if (task) task.title = `${id} (running)`;
    },
    onJobState(id, state) {
      const task = deferred.get(id)?.task;
      if (task) task.title = jobStateLine(id, state).replace(/^(\w+)\s+(\S+)/, "$2 $1");
    },
    onLog(id, text, replay) {
      const task = deferred.get(id)?.task;
      if (task && !replay) task.output = text.trimEnd().split("\n").pop() ?? "";
    },
    onWarning(message) {
      warnings.push(message);
    },
    onWaitForLock(holder) {
      writeErr(`waiting for the workspace lock held by ${holder} ...`);
    },
    onResult(result) {
      deferred.get(result.id)?.resolve(result);
    },
    async done() {
      await running;
      for (const entry of deferred.values()) {
        const result = await entry.promise; // settled: the task list awaited every one
        for (const warning of result.warnings) warnings.push(`${result.id}: ${warning}`);
      }
      for (const warning of warnings) writeErr(`warning: ${warning}`);
    },
  };
}

function titleOf(result: StageResult): string {
  const time = result.status === "ran" || result.status === "held" || result.status === "interrupted" ? ` ${formatDuration(result.durationMs)}` : "";
  return `${result.id} ${result.status}${time}`;
}

function failureText(result: StageResult): string {
  return [resultLine(result), result.logTail ?? ""].filter(Boolean).join("\n");
}
