/**
 * Runs `cmd` stages through long-lived `/bin/sh` runner processes instead of
 * spawning each command from Node. Spawning forks the calling process, and
 * forking a Node process of a hundred megabytes costs about ten times more
 * than forking a small shell: with a thousand cheap stages the spawns alone
 * took longer than the commands. Each runner owns a job file: sluice
 * overwrites it with the next script and sends one newline; the runner
 * sources the file in a subshell with its output merged, then prints a
 * marker line carrying the exit status:
 *
 *   sluice ──writes job file, "\n"──▶ runner sh ──fork──▶ ( . job )
 *          ◀── output … "<marker> <status>\n" ──
 *
 * A file rather than the pipe carries the script because `read` takes a pipe
 * one byte per system call, and decoding an escaped line costs the shell
 * another fork. The file is overwritten in place and then cut to length,
 * never truncated to empty: ext4 flushes a file rewritten after truncation
 * to zero on close (its guard against empty files after a crash), which
 * made each job's hand-over cost more than its command.
 *
 * A runner runs one job at a time; the pool keeps one per job slot. Every
 * runner leads its own process group, so an abort kills the job and all
 * its children at once (the runner is replaced on the next job).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { groupEnds } from "../util/process-group.js";
import { shellQuote } from "../util/shell-quote.js";

/** How a command ended. */
export interface CommandOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all. */
  readonly spawnError: string | undefined;
}

/** How long a stopped job has to end after SIGTERM (a trap cleaning up) before its group is killed. */
const STOP_GRACE_MS = 2_000;

const RUNNER_SCRIPT = `while read -r _; do ( . "$SLUICE_JOB_FILE" ) </dev/null 2>&1; printf '%s %s\\n' "$SLUICE_MARKER" "$?"; done`;

interface Runner {
  readonly process: ChildProcessWithoutNullStreams;
  readonly marker: string;
  /** The job file, open for the runner's lifetime. */
  readonly jobFd: number;
}

export interface ShellJob {
  readonly command: string;
  readonly cwd: string;
  /** Extra environment for this job only. */
  readonly env: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly onOutput: (text: string) => void;
}

export class ShellRunners {
  readonly #dir: string;
  readonly #idle: Runner[] = [];
  readonly #all = new Set<Runner>();
  #started = 0;

  /** `dir` is a temp folder of this invocation that holds the runners' job files. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  async run(job: ShellJob): Promise<CommandOutcome> {
    const exports = Object.entries(job.env).map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join("");
    const script = `${exports}cd ${shellQuote(job.cwd)} || exit 127\n${job.command}\n`;
    if (job.signal.aborted) return { exitCode: null, signal: "SIGTERM", spawnError: undefined };
    const runner = this.#idle.pop() ?? this.#start();
    try {
      const bytes = Buffer.from(script, "utf8");
      writeSync(runner.jobFd, bytes, 0, bytes.length, 0);
      ftruncateSync(runner.jobFd, bytes.length);
    } catch (error) {
      this.#idle.push(runner); // still idle: it never saw the job
      throw error;
    }
    return new Promise((resolve) => {
      let pending = "";
      const finish = (outcome: CommandOutcome, reusable: boolean) => {
        runner.process.stdout.off("data", onData);
        runner.process.off("exit", onExit);
        job.signal.removeEventListener("abort", onAbort);
        if (reusable) this.#idle.push(runner);
        else this.#discard(runner);
        resolve(outcome);
      };
      const onData = (chunk: Buffer) => {
        pending += chunk.toString("utf8");
        const at = pending.indexOf(runner.marker);
        if (at < 0) {
          // Hold back only a tail that could be the start of the marker; pass the rest on live.
          const safe = pending.length - heldTail(pending, runner.marker);
          if (safe > 0) {
            job.onOutput(pending.slice(0, safe));
            pending = pending.slice(safe);
          }
          return;
        }
        const end = pending.indexOf("\n", at);
        if (end < 0) return;
        if (at > 0) job.onOutput(pending.slice(0, at));
        const status = Number(pending.slice(at + runner.marker.length, end).trim());
        finish({ exitCode: status, signal: status > 128 ? signalName(status - 128) : null, spawnError: undefined }, true);
      };
      let abortedAt: number | undefined;
      const onExit = () => {
        if (pending) job.onOutput(pending);
        const outcome: CommandOutcome = { exitCode: null, signal: "SIGKILL", spawnError: undefined };
        // Stopped, the runner shell ends at once, while the job may still be running a trap that cleans up
        // (its sleep ended by the same SIGTERM): the job has the grace period before the group is killed.
        const group = runner.process.pid;
        if (abortedAt === undefined || group === undefined) finish(outcome, false);
        else void groupEnds(group, abortedAt + STOP_GRACE_MS).then(() => finish(outcome, false));
      };
      const onAbort = () => {
        abortedAt = Date.now();
        killGroup(runner, "SIGTERM");
        setTimeout(() => killGroup(runner, "SIGKILL"), STOP_GRACE_MS).unref();
      };
      runner.process.stdout.on("data", onData);
      runner.process.on("exit", onExit);
      job.signal.addEventListener("abort", onAbort, { once: true });
      runner.process.stdin.write("\n");
    });
  }

  /** Ends every runner. */
  close(): void {
    for (const runner of this.#all) {
      runner.process.stdin.end();
      closeSync(runner.jobFd);
    }
    this.#all.clear();
    this.#idle.length = 0;
  }

  #start(): Runner {
    const marker = `__SLUICE_DONE_${randomBytes(8).toString("hex")}__`;
    mkdirSync(this.#dir, { recursive: true });
    const jobFile = join(this.#dir, `job-${this.#started++}.sh`);
    const jobFd = openSync(jobFile, "w");
    const child = spawn("/bin/sh", ["-c", RUNNER_SCRIPT], {
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, SLUICE_MARKER: marker, SLUICE_JOB_FILE: jobFile },
    });
    child.stderr.resume(); // the runner itself prints nothing there; never let the pipe fill
    child.stdin.on("error", () => undefined); // a runner killed by an abort: its exit is handled per job
    const runner: Runner = { process: child, marker, jobFd };
    this.#all.add(runner);
    return runner;
  }

  #discard(runner: Runner): void {
    this.#all.delete(runner);
    killGroup(runner, "SIGKILL");
    closeSync(runner.jobFd);
  }
}

/** The length of the longest end of `text` that begins `marker`. */
function heldTail(text: string, marker: string): number {
  for (let k = Math.min(text.length, marker.length - 1); k > 0; k--) {
    if (marker.startsWith(text.slice(-k))) return k;
  }
  return 0;
}

function killGroup(runner: Runner, signal: NodeJS.Signals): void {
  if (runner.process.pid === undefined) return;
  try {
    process.kill(-runner.process.pid, signal);
  } catch {
    // already gone
  }
}

function signalName(number: number): NodeJS.Signals | null {
  const names: Record<number, NodeJS.Signals> = { 1: "SIGHUP", 2: "SIGINT", 9: "SIGKILL", 15: "SIGTERM" };
  return names[number] ?? null;
}
