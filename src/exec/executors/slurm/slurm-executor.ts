/**
 * Stages as Slurm jobs, with the remote cache as the data plane:
 *
 *   publish upstream records ─▶ sbatch ─▶ queued ─▶ running (node) ─▶ ended
 *                                                                      │
 *        COMPLETED: fetch the job's record from the remote, restore ◀──┤
 *        anything else: fail with the scheduler's reason and log tail ◀┘
 *
 * The job runs `sluice job` on its node at the submitter's commit; that
 * run restores its inputs from the remote cache, executes the stage under
 * the key computed here, and uploads outputs and record. Here the stage
 * then reports `ran` with the job id and node. An interrupt cancels the
 * job (scancel) and waits for the queue to drop it; nothing is cached.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, realpathSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { parseStageKey, type CacheSession, type RemoteCache } from "../../../cache/index.js";
import type { StageId } from "../../../pipeline/index.js";
import { INTERRUPTED, type FailureReason, type JobProvenance, type JobState } from "../../events.js";
import type { ExecuteHooks, ExecutionContext } from "../../execute-stage.js";
import { removeOutputs, restoreOutputs } from "../../outputs.js";
import { StageAttempt, type ExecutedStage, type StageWork } from "../../stage-attempt.js";
import type { LocalExecution, StageExecutor } from "../stage-executor.js";
import { jobScript, sbatchArgs, type JobCheckout } from "./job-script.js";
import { JobQueue, type JobEnd } from "./job-queue.js";
import { LogFollower } from "./log-follower.js";
import { slurmCommand } from "./slurm-commands.js";
import { DEFAULT_PREPARE, type SlurmSettings } from "./slurm-settings.js";

/** What the executor needs from the run. */
export interface SlurmRun {
  readonly settings: SlurmSettings;
  /** The remote cache URL the job reads and writes. */
  readonly remoteUrl: string;
  /** The run's `--set` overrides. */
  readonly sets: readonly string[];
  readonly onJobState: (id: StageId, state: JobState) => void;
}

export class SlurmExecutor implements StageExecutor {
  readonly name = "slurm";
  readonly #run: SlurmRun;
  readonly #queue: JobQueue;
  #checkout: Promise<JobCheckout | string> | undefined;

  constructor(run: SlurmRun) {
    this.#run = run;
    this.#queue = new JobQueue(run.settings.pollMs);
  }

  async execute(context: ExecutionContext, work: StageWork, hooks: ExecuteHooks, local: LocalExecution): Promise<ExecutedStage> {
    // Scratch reruns (`verify --rerun`) compare bytes on this machine.
    if (hooks.scratch) return local(work, hooks);
    const { stage } = work;
    const { cache } = context;
    const attempt = new StageAttempt(work, hooks.onLog);
    let job: JobProvenance | undefined;
    const withJob = (executed: ExecutedStage): ExecutedStage => (job ? { ...executed, result: { ...executed.result, job } } : executed);
    const fail = async (reason: FailureReason, message: string): Promise<ExecutedStage> => {
      await removeOutputs(context.workspaceRoot, stage, cache.statCache);
      return withJob(attempt.failed(reason, message));
    };

    const remote = cache.remote;
    if (!remote) return fail("job-failed", "runs on slurm, which exchanges inputs and outputs through the remote cache: give --remote-cache <url>");
    this.#checkout ??= checkoutOf(context.workspaceRoot, this.#run.settings.prepare);
    const checkout = await this.#checkout;
    if (typeof checkout === "string") return fail("job-failed", checkout);
    await publishUpstream(cache, remote, work, hooks.onWarning);

    const logDir = join(cache.layout.tmp, "slurm");
    mkdirSync(logDir, { recursive: true });
    const logPath = join(logDir, `${stage.id.replace(/[^\w.-]/g, "_")}-${randomBytes(4).toString("hex")}.log`);
    const spec = { stage, key: work.key, remoteUrl: this.#run.remoteUrl, sets: this.#run.sets, checkout, logPath };
    if (context.signal.aborted) return fail("interrupted", INTERRUPTED);
    const submitted = await slurmCommand("sbatch", sbatchArgs(spec, this.#run.settings), jobScript(spec, this.#run.settings));
    const id = submitted.stdout.trim().split(";")[0] ?? "";
    if (!submitted.ok || !/^\d+(_\d+)?$/.test(id)) {
      return fail("job-failed", `sbatch refused the job: ${submitted.stderr.trim() || submitted.stdout.trim() || "no job id printed"}`);
    }
    job = { executor: this.name, id, node: undefined };
    this.#run.onJobState(stage.id, { state: "queued", job });

    const follower = new LogFollower(logPath, attempt.output);
    const ticker = setInterval(() => void follower.poll(), this.#run.settings.pollMs);
    let end: JobEnd | undefined;
    try {
      end = await untilAborted(
        this.#queue.watch(id, (snapshot) => {
          if (snapshot.state !== "RUNNING" || !job) return;
          job = { ...job, node: snapshot.node };
          this.#run.onJobState(stage.id, { state: "running", job });
        }),
        context.signal,
      );
    } finally {
      clearInterval(ticker);
    }
    if (!end) {
      await this.#queue.cancel([id]);
      await follower.poll();
      return fail("interrupted", `${INTERRUPTED} (slurm job ${id} cancelled)`);
    }
    await follower.poll();
    hooks.onActionEnd?.();
    job = { ...job, node: end.node ?? job.node };
    if (end.state !== "COMPLETED") return fail("job-failed", jobFailure(id, end));

    const record = await remote.fetch(work.key, stage.outs, cache, hooks.onWarning);
    if (!record) {
      return fail("job-failed", `slurm job ${id} completed but ${remote.label} holds no usable record for key ${work.key} (the job's log says why)`);
    }
    const restored = await restoreOutputs(context.workspaceRoot, stage, record, cache.store, cache.statCache);
    if (!restored.ok) return fail("store-failed", `could not restore the outputs of slurm job ${id}: ${restored.problem.reason}`);
    return withJob(attempt.succeeded(record.held ? "held" : "ran", record.outs, record.decisions, record.metrics));
  }
}

/** "slurm job 42 FAILED on node7 (NonZeroExitCode, exit code 1:0)". */
function jobFailure(id: string, end: JobEnd): string {
  const details = [end.reason, end.exitCode && end.exitCode !== "0:0" ? `exit code ${end.exitCode}` : undefined].filter(Boolean);
  return `slurm job ${id} ${end.state}${end.node ? ` on ${end.node}` : ""}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
}

/** The promise's value, or undefined as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    });
  });
}

/**
 * Offers the records of every upstream stage to the remote cache, so the
 * job restores them instead of running them again: an upstream that was a
 * local hit may never have been uploaded. Each object is HEADed first, so
 * what is there already costs a request, not a transfer.
 */
async function publishUpstream(cache: CacheSession, remote: RemoteCache, work: StageWork, onWarning: (message: string) => void): Promise<void> {
  for (const text of new Set(Object.values(work.upstreamKeys()))) {
    const key = parseStageKey(text);
    const { record } = key ? await cache.records.get(key) : { record: undefined };
    if (record) await remote.publish(record, cache, onWarning);
  }
}

/** The repository, commit and folder the node checks out, or why there are none. */
async function checkoutOf(root: string, prepare: string): Promise<JobCheckout | string> {
  const git = async (...args: string[]) => (await promisify(execFile)("git", args, { cwd: root, timeout: 10_000 })).stdout.trim();
  try {
    const [top, commit] = [await git("rev-parse", "--show-toplevel"), await git("rev-parse", "HEAD")];
    return { repo: top, commit, subdir: relative(top, realpathSync(root)) };
  } catch {
    if (prepare === DEFAULT_PREPARE) {
      return "the workspace is not a git repository with a commit, and the node checks out the submitter's commit: commit it, or set slurm.prepare (SLUICE_SLURM_PREPARE) to fetch the sources another way";
    }
    return { repo: root, commit: "", subdir: "" };
  }
}
