/**
 * Watches the run's jobs: one `squeue` call per period for all of them
 * (never a call per job per tick), and one `scontrol show job` for each job
 * that ends, for its exit code and reason.
 *
 *   PENDING ──▶ RUNNING ──▶ COMPLETED
 *      │           │  └───▶ FAILED | TIMEOUT | OUT_OF_MEMORY | NODE_FAIL | PREEMPTED
 *      └───────────┴──────▶ CANCELLED
 */
import { showJob, slurmCommand } from "./slurm-commands.js";

/** A job's state as the queue reports it. */
export interface JobSnapshot {
  /** Slurm's state name (`PENDING`, `RUNNING`, `COMPLETED`, ...). */
  readonly state: string;
  readonly node: string | undefined;
  /** Why it waits or ended (`Resources`, `NonZeroExitCode`, `TimeLimit`). */
  readonly reason: string | undefined;
}

/** A job that ended. */
export interface JobEnd extends JobSnapshot {
  /** `scontrol`'s `ExitCode` (`1:0` is exit code 1, `0:15` killed by signal 15). */
  readonly exitCode: string | undefined;
}

/** States a job does not leave. */
const ENDED = new Set(["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "PREEMPTED", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "REVOKED", "SPECIAL_EXIT"]);
/** Polls a job may be missing from squeue before it is asked about by name (it may have left the controller's memory). */
const MISSES_BEFORE_SHOW = 3;

interface Watch {
  last: string;
  misses: number;
  onUpdate(snapshot: JobSnapshot): void;
  resolve(end: JobEnd): void;
}

export class JobQueue {
  readonly #pollMs: number;
  readonly #watched = new Map<string, Watch>();
  #timer: NodeJS.Timeout | undefined;

  constructor(pollMs: number) {
    this.#pollMs = pollMs;
  }

  /** Resolves when the job has ended; `onUpdate` hears each change of state before that. */
  watch(id: string, onUpdate: (snapshot: JobSnapshot) => void): Promise<JobEnd> {
    return new Promise((resolve) => {
      this.#watched.set(id, { last: "", misses: 0, onUpdate, resolve });
      this.#schedule();
    });
  }

  /** Stops watching a job (its stage was interrupted); its promise never resolves. */
  forget(id: string): void {
    this.#watched.delete(id);
  }

  /** Cancels jobs and waits (bounded) until the queue no longer lists them. */
  async cancel(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.forget(id);
    await slurmCommand("scancel", [...ids]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const listed = await slurmCommand("squeue", ["-h", "-o", "%i", "-j", ids.join(",")]);
      // An id squeue no longer knows makes it fail: gone as well.
      if (!listed.ok || listed.stdout.trim() === "") return;
      await new Promise((r) => setTimeout(r, this.#pollMs));
    }
  }

  #schedule(): void {
    if (this.#timer || this.#watched.size === 0) return;
    this.#timer = setTimeout(() => void this.#poll(), this.#pollMs);
  }

  async #poll(): Promise<void> {
    const ids = [...this.#watched.keys()];
    const out = await slurmCommand("squeue", ["-h", "--states=all", "-o", "%i|%T|%N|%r", "-j", ids.join(",")]);
    // A controller that does not answer (restarting, overloaded) says nothing about the jobs: ask again next period.
    // squeue also fails when it knows none of the ids; those jobs are missing, not unknown.
    if (!out.ok && !/invalid job id/i.test(out.stderr)) {
      this.#timer = undefined;
      this.#schedule();
      return;
    }
    const seen = new Map<string, JobSnapshot>();
    for (const line of out.stdout.split("\n")) {
      const [id = "", state = "", node = "", reason = ""] = line.trim().split("|");
      if (id) seen.set(id, { state, node: node || undefined, reason: reason && reason !== "None" ? reason : undefined });
    }
    for (const id of ids) {
      const watch = this.#watched.get(id);
      if (!watch) continue;
      const snapshot = seen.get(id);
      if (!snapshot) {
        if (++watch.misses >= MISSES_BEFORE_SHOW) await this.#finish(id, watch);
        continue;
      }
      watch.misses = 0;
      if (ENDED.has(snapshot.state)) await this.#finish(id, watch);
      else if (snapshot.state !== watch.last) {
        watch.last = snapshot.state;
        watch.onUpdate(snapshot);
      }
    }
    this.#timer = undefined;
    this.#schedule();
  }

  /** Asks for the ended job's details and settles its watch. */
  async #finish(id: string, watch: Watch): Promise<void> {
    const fields = await showJob(id);
    if (!this.#watched.has(id)) return; // cancelled meanwhile
    const state = fields["JobState"];
    if (state !== undefined && !ENDED.has(state)) return; // squeue missed it, the controller still runs it
    this.#watched.delete(id);
    const node = fields["NodeList"];
    const reason = fields["Reason"];
    watch.resolve({
      state: state ?? "UNKNOWN",
      node: node && node !== "(null)" ? node : undefined,
      reason: state === undefined ? "the controller no longer knows the job (it ended before sluice saw it; see the job's log)" : reason && reason !== "None" ? reason : undefined,
      exitCode: fields["ExitCode"],
    });
  }
}
