/**
 * A small pool of worker threads for `run` stages. Hand-written rather than
 * tinypool/piscina because each task needs its own ordered log stream and
 * decisions routed back, and an aborted task must kill exactly its worker.
 */
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { StageDecision } from "../pipeline/index.js";
import { INTERRUPTED } from "./events.js";
import type { WorkerMessage, WorkerTask } from "./stage-worker.js";

export type WorkerOutcome =
  | { readonly ok: true; readonly decisions: readonly { decision: StageDecision; held: boolean }[] }
  | { readonly ok: false; readonly reason: "threw" | "contract-violation" | "interrupted"; readonly message: string };

const WORKER_SOURCE = ["stage-worker.ts", "stage-worker.js"]
  .map((name) => new URL(`./${name}`, import.meta.url))
  .find((url) => existsSync(url));

export class WorkerPool {
  readonly #idle: Worker[] = [];
  readonly #all = new Set<Worker>();

  async run(task: WorkerTask, onLog: (text: string) => void, signal: AbortSignal): Promise<WorkerOutcome> {
    if (signal.aborted) return { ok: false, reason: "interrupted", message: INTERRUPTED };
    const worker = this.#idle.pop() ?? this.#spawn();
    const decisions: { decision: StageDecision; held: boolean }[] = [];
    return new Promise((resolve) => {
      const finish = (outcome: WorkerOutcome, reusable: boolean) => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        signal.removeEventListener("abort", onAbort);
        if (reusable) this.#idle.push(worker);
        else this.#discard(worker);
        resolve(outcome);
      };
      const onMessage = (message: WorkerMessage) => {
        switch (message.type) {
          case "log":
            onLog(message.text);
            return;
          case "decision":
            decisions.push({ decision: message.decision, held: message.held });
            return;
          case "done":
            finish({ ok: true, decisions }, true);
            return;
          case "error":
            finish({ ok: false, reason: message.reason, message: message.message }, true);
            return;
        }
      };
      const onError = (error: Error) => finish({ ok: false, reason: "threw", message: error.message }, false);
      const onExit = (code: number) => finish({ ok: false, reason: "threw", message: `worker exited with code ${code}` }, false);
      const onAbort = () => finish({ ok: false, reason: "interrupted", message: INTERRUPTED }, false);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      signal.addEventListener("abort", onAbort, { once: true });
      worker.postMessage(task);
    });
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    await Promise.all([...this.#all].map((w) => w.terminate()));
    this.#all.clear();
    this.#idle.length = 0;
  }

  #spawn(): Worker {
    if (!WORKER_SOURCE) throw new Error("stage worker module not found");
    // Node flags as process.execArgv lists them (Node's own default is the flags this process started
    // with, and the sluice server's are not a command's: it lists none of them).
    const options = { execArgv: process.execArgv };
    // Compiled, the worker is plain JavaScript; from sources it needs the TypeScript loader.
    const worker = WORKER_SOURCE.href.endsWith(".ts")
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
            .then((api) => { api.register(); return import(${JSON.stringify(WORKER_SOURCE.href)}); });`,
          { ...options, eval: true },
        )
      : new Worker(WORKER_SOURCE, options);
    this.#all.add(worker);
    return worker;
  }

  #discard(worker: Worker): void {
    this.#all.delete(worker);
    void worker.terminate();
  }
}
