/**
 * The cluster settings of a run, first match wins for each field:
 *
 *   SLUICE_SLURM_<FIELD>   >   defineWorkspace({ slurm: { ... } })   >   default
 *
 * PARTITION, ACCOUNT, TIME, ARGS (space-separated sbatch flags), PREPARE,
 * COMMAND; SLUICE_SLURM_POLL_MS sets how often the queue is asked about
 * the run's jobs (one `squeue` call for all of them per period).
 */
import type { SlurmOptions } from "../../../pipeline/index.js";

/** Settings a job is submitted with. */
export interface SlurmSettings {
  readonly partition: string | undefined;
  readonly account: string | undefined;
  readonly timeLimit: string | undefined;
  readonly sbatchArgs: readonly string[];
  /** Shell commands that turn the job's empty folder into the repository's checkout (see `SlurmOptions.prepare`). */
  readonly prepare: string;
  /** The sluice command line on the node, already shell-quoted. */
  readonly command: string;
  /** Milliseconds between queue queries. */
  readonly pollMs: number;
}

/** Clone the submitter's repository (a path a shared home makes visible, or a URL) at its commit. */
export const DEFAULT_PREPARE = 'git clone --quiet "$SLUICE_REPO" . && git -c advice.detachedHead=false checkout --quiet "$SLUICE_COMMIT"';

/** A queue query every half second: jobs are minutes long, and the controller serves a whole site. */
const DEFAULT_POLL_MS = 500;
/** No busier than this, whatever the variable says. */
const MIN_POLL_MS = 100;

/** The settings, or a message naming the bad variable. */
export function resolveSlurmSettings(
  declared: SlurmOptions | undefined,
  env: Readonly<Record<string, string | undefined>>,
  defaultCommand: string,
): { ok: true; value: SlurmSettings } | { ok: false; error: string } {
  const pick = (name: string, fallback: string | undefined) => nonEmpty(env[`SLUICE_SLURM_${name}`]) ?? nonEmpty(fallback);
  const poll = nonEmpty(env["SLUICE_SLURM_POLL_MS"]);
  const pollMs = poll === undefined ? DEFAULT_POLL_MS : Number(poll);
  if (!Number.isFinite(pollMs) || pollMs < MIN_POLL_MS) {
    return { ok: false, error: `SLUICE_SLURM_POLL_MS must be a number of milliseconds of at least ${MIN_POLL_MS} (got ${JSON.stringify(poll)})` };
  }
  const args = nonEmpty(env["SLUICE_SLURM_ARGS"]);
  return {
    ok: true,
    value: {
      partition: pick("PARTITION", declared?.partition),
      account: pick("ACCOUNT", declared?.account),
      timeLimit: pick("TIME", declared?.timeLimit),
      sbatchArgs: args !== undefined ? args.split(/\s+/).filter(Boolean) : [...(declared?.sbatchArgs ?? [])],
      prepare: pick("PREPARE", declared?.prepare) ?? DEFAULT_PREPARE,
      command: pick("COMMAND", declared?.command) ?? defaultCommand,
      pollMs,
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
