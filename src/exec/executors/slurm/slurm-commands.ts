/**
 * The Slurm client commands sluice calls, each bounded in time: `sbatch`
 * to submit, `squeue` to watch, `scontrol show job` for a job's end,
 * `scancel` to cancel. They find the cluster as a user's shell would
 * (SLURM_CONF, the site's slurm.conf).
 */
import { spawn } from "node:child_process";

/** What a client command printed and how it ended. */
export interface CommandOutcome {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** A client command that does not answer in this long is treated as failed (a controller that is down). */
const COMMAND_TIMEOUT_MS = 60_000;

/** Runs a Slurm client command; never throws (a missing binary is a failed outcome with its message). */
export function slurmCommand(name: string, args: readonly string[], input?: string): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn(name, args, { stdio: ["pipe", "pipe", "pipe"], timeout: COMMAND_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT";
      resolve({ ok: false, stdout, stderr: missing ? `${name} not found: is this a Slurm login node (is Slurm's bin folder on PATH)?` : error.message });
    });
    child.once("close", (code, signal) => {
      resolve({ ok: code === 0, stdout, stderr: signal ? `${stderr}${name} killed by ${signal} (no answer within ${COMMAND_TIMEOUT_MS / 1000} s)` : stderr });
    });
    child.stdin.on("error", () => undefined); // a command that exits without reading its input
    child.stdin.end(input ?? "");
  });
}

/** `scontrol show job -o <id>` as fields (`JobState`, `Reason`, `ExitCode`, `NodeList`, ...); empty when unknown. */
export async function showJob(id: string): Promise<Record<string, string>> {
  const out = await slurmCommand("scontrol", ["show", "job", "-o", id]);
  if (!out.ok) return {};
  const fields: Record<string, string> = {};
  // One line of Key=Value pairs; a value may hold spaces only in fields read here last (Command, paths), so split on " Key=".
  for (const match of out.stdout.trim().matchAll(/(?:^|\s)([A-Za-z][\w/:]*)=(\S*)/g)) fields[match[1] as string] = match[2] as string;
  return fields;
}
