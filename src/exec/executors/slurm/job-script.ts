/**
 * What a stage's job is: the sbatch flags (resources, partition, log file)
 * and the batch script. The script makes an empty folder on the node a
 * checkout of the submitter's commit (the settings' `prepare`), then runs
 *
 *   sluice job <stage> --key <key> --remote-cache <url> [--set ...]
 *
 * there: the stage's inputs come from the remote cache and its outputs and
 * run record go back to it, so the node needs nothing from the submitter's
 * disk but the repository `prepare` clones.
 */
import type { Stage } from "../../../pipeline/index.js";
import { shellQuote } from "../../../util/shell-quote.js";
import type { SlurmSettings } from "./slurm-settings.js";

/** Where the job's sources come from. */
export interface JobCheckout {
  /** The repository `prepare` clones (SLUICE_REPO). */
  readonly repo: string;
  /** The commit the submitter is at (SLUICE_COMMIT). */
  readonly commit: string;
  /** The workspace's folder inside the repository, "" at its top (SLUICE_SUBDIR). */
  readonly subdir: string;
}

/** One job to submit. */
export interface JobSpec {
  readonly stage: Stage;
  readonly key: string;
  readonly remoteUrl: string;
  /** The run's `--set` overrides, passed on so the node computes the same key. */
  readonly sets: readonly string[];
  readonly checkout: JobCheckout;
  /** The file Slurm writes the job's output to. */
  readonly logPath: string;
}

/**
 * The stage's declared resources in the scheduler's terms: `gpu` ->
 * `--gres=gpu:N`, `memGiB` -> `--mem` (in MiB), `cpus` -> `--cpus-per-task`.
 * Other names bound only the local `--resources` limits.
 */
export function resourceFlags(resources: Readonly<Record<string, number>>): string[] {
  const flags: string[] = [];
  const gpu = resources["gpu"];
  if (gpu !== undefined && gpu > 0) flags.push(`--gres=gpu:${Math.ceil(gpu)}`);
  const mem = resources["memGiB"];
  if (mem !== undefined && mem > 0) flags.push(`--mem=${Math.ceil(mem * 1024)}M`);
  const cpus = resources["cpus"];
  if (cpus !== undefined && cpus > 0) flags.push(`--cpus-per-task=${Math.ceil(cpus)}`);
  return flags;
}

/** The arguments of `sbatch` (the script goes on its stdin). */
export function sbatchArgs(spec: JobSpec, settings: SlurmSettings): string[] {
  return [
    "--parsable",
    `--job-name=sluice:${spec.stage.id}`,
    `--output=${spec.logPath}`,
    ...(settings.partition ? [`--partition=${settings.partition}`] : []),
    ...(settings.account ? [`--account=${settings.account}`] : []),
    ...(settings.timeLimit ? [`--time=${settings.timeLimit}`] : []),
    ...resourceFlags(spec.stage.resources),
    // Last: a site's own flags may refine any of the above.
    ...settings.sbatchArgs,
  ];
}

/** The batch script. */
export function jobScript(spec: JobSpec, settings: SlurmSettings): string {
  const { checkout } = spec;
  const sets = spec.sets.flatMap((set) => ["--set", shellQuote(set)]).join(" ");
  return `#!/bin/sh
# sluice: stage ${spec.stage.id}, key ${spec.key}
set -eu
export SLUICE_REPO=${shellQuote(checkout.repo)} SLUICE_COMMIT=${shellQuote(checkout.commit)} SLUICE_SUBDIR=${shellQuote(checkout.subdir)}
# A fresh folder of its own: job ids repeat across clusters (and a cancelled job's cleanup may still run).
job_dir=$(mktemp -d "\${TMPDIR:-/tmp}/sluice-job-\${SLURM_JOB_ID:-0}.XXXXXX")
# The checkout goes whatever happens; a cancelled job (TERM) ends through EXIT too.
trap 'cd / && rm -rf "$job_dir"' EXIT
trap 'exit 143' TERM INT
cd "$job_dir"
echo "sluice: job \${SLURM_JOB_ID:-} on $(hostname): preparing a checkout of \${SLUICE_COMMIT:-the repository}"
${settings.prepare}
cd "./$SLUICE_SUBDIR"
${settings.command} job ${shellQuote(spec.stage.id)} --key ${shellQuote(spec.key)} --remote-cache ${shellQuote(spec.remoteUrl)}${sets ? ` ${sets}` : ""}
`;
}
