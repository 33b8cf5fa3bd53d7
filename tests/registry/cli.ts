/**
 * Runs the real CLI in a test workspace as a given actor.
 */
import { spawn } from "node:child_process";
import { BIN, cliEnv } from "../rig.js";
import { signingEnv } from "../signers.js";

/** Exit code and output of one CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `sluice <args>` in `root`, as `actor` (SLUICE_ACTOR, signing with the actor's test key) and any other variables in `env`. */
export function sluice(root: string, args: readonly string[], actor = "alice", env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: root,
    env: cliEnv({ SLUICE_ACTOR: actor, ...(args[0] === "approve" ? signingEnv(actor) : {}), ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** `sluice <args> --json`, parsed; throws with stderr when stdout is not one JSON document. */
export async function sluiceJson<T = Record<string, unknown>>(root: string, args: readonly string[], actor = "alice"): Promise<CliRun & { json: T }> {
  const out = await sluice(root, [...args, "--json"], actor);
  try {
    return { ...out, json: JSON.parse(out.stdout) as T };
  } catch {
    throw new Error(`stdout of sluice ${args.join(" ")} is not JSON (exit ${out.code}):\n${out.stdout}\n--- stderr ---\n${out.stderr}`);
  }
}
