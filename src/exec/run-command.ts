/**
 * Runs a `cmd` stage: `/bin/sh -c` in its own process group (so Ctrl-C and
 * aborts reach every grandchild), stdout and stderr merged into the log.
 */
import { spawn } from "node:child_process";

export interface CommandOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  readonly spawnError: string | undefined;
}

export function runCommand(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal; onOutput: (text: string) => void },
): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const forward = (chunk: Buffer) => options.onOutput(chunk.toString("utf8"));
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    let killTimer: NodeJS.Timeout | undefined;
    const abort = () => {
      killGroup(child.pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), 2_000);
      killTimer.unref();
    };
    if (options.signal.aborted) abort();
    else options.signal.addEventListener("abort", abort, { once: true });
    child.on("error", (error) => {
      options.signal.removeEventListener("abort", abort);
      resolve({ exitCode: null, signal: null, spawnError: error.message });
    });
    child.on("close", (exitCode, signal) => {
      options.signal.removeEventListener("abort", abort);
      if (killTimer) clearTimeout(killTimer);
      resolve({ exitCode, signal, spawnError: undefined });
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Quotes a path for `/bin/sh`. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
