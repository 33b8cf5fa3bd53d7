/**
 * Inside a Slurm job: whether the job is still running, asked before a
 * stage's outputs are kept. Slurm marks a job cancelled (or timed out,
 * preempted) before it signals the job's processes, and it signals them in
 * an order of its own: a script whose `sleep` died first may go on and exit
 * 0 before sluice hears of the stop. The scheduler's word settles it.
 */
import { showJob } from "./slurm-commands.js";

/** Why the job `SLURM_JOB_ID` names must not keep outputs, or undefined while it runs (or cannot be asked). */
export async function slurmJobEnding(jobId: string): Promise<string | undefined> {
  const fields = await showJob(jobId);
  const state = fields["JobState"];
  // No answer is no evidence of a stop: the signal handler still covers one sluice hears of.
  if (!state || state === "RUNNING") return undefined;
  const reason = fields["Reason"] && fields["Reason"] !== "None" ? `, ${fields["Reason"]}` : "";
  return `slurm job ${jobId} is ${state}${reason}: it was stopped as the stage ended, so nothing is kept`;
}
