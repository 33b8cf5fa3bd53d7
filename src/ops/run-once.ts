/**
 * One `sluice run` (also each cycle of `watch`, and `retrain`'s child):
 * check the options, take the workspace lock, plan or build the targets
 * while Ctrl-C stops the running stages, record the run.
 *
 *   options -> remote -> executors -> shard -> lock -> build (signals handled) -> record -> unlock
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { openCache, saveSession, type CacheSession } from "../cache/index.js";
import { chooseExecutors, gitCommit, planBuild, recordRun, runBuild, type BuildObserver, type BuildResult, type ExecutorChooser } from "../exec/index.js";
import type { Dag } from "../graph/index.js";
import type { StageId, Workspace } from "../pipeline/index.js";
import { writeErr } from "../report/index.js";
import { acquireLock, type AcquireResult } from "../util/file-lock.js";
import { shellQuote } from "../util/shell-quote.js";
import { ok } from "../util/result.js";
import { refuse, type OpFailure, type OpResult } from "./failure.js";
import { explainStale } from "./explain-stale.js";
import { openRemote, type RemoteArgs } from "./remote.js";
import { prepareRun, type PreparedRun, type RunRequest } from "./run-request.js";
import { shardStages } from "./shard-plan.js";

export type { RunRequest } from "./run-request.js";

/** A loaded, validated workspace and its DAG. */
export interface LoadedWorkspace {
  readonly root: string;
  readonly workspace: Workspace;
  readonly dag: Dag;
}

/** A run that got as far as building: its results, and how it failed if it did. */
export interface RunOutcome {
  readonly build: BuildResult;
  readonly failure: OpFailure | undefined;
}

/**
 * One build of the targets with the workspace lock held; a usage or
 * environment failure before it starts. `executorFor` replaces the
 * executors the declarations and `--executor` choose (a cluster job's own run).
 */
export async function runOnce(
  loaded: LoadedWorkspace,
  request: RunRequest & RemoteArgs,
  observer: BuildObserver,
  controller: AbortController,
  executorFor?: ExecutorChooser,
): Promise<OpResult<RunOutcome>> {
  const prepared = prepareRun(loaded, request);
  if (!prepared.ok) return prepared;
  const remote = await openRemote(request, loaded.workspace);
  if (!remote.ok) return remote;
  // A dry run executes nothing, so it needs neither a cluster nor a remote cache for one.
  const executors = executorFor || request.dryRun
    ? ok(executorFor)
    : await chooseExecutors({
        workspace: loaded.workspace,
        planned: prepared.value.selected,
        executorSpecs: request.executor ?? [],
        remote: remote.value,
        sets: request.set ?? [],
        env: process.env,
        // The same sluice: this node binary and script, which a shared filesystem shows the node at the same path.
        defaultCommand: [process.execPath, process.argv[1] ?? "sluice"].map(shellQuote).join(" "),
        onJobState: (id, state) => observer.onJobState?.(id, state),
      });
  if (!executors.ok) return refuse("usage", executors.error);
  const cache = await openCache(loaded.root, remote.value);
  let planned: ReadonlySet<StageId> = prepared.value.selected;
  if (request.shard !== undefined) {
    const shard = await shardStages(loaded.dag, cache, remote.value, planned, request);
    if (!shard.ok) return shard;
    planned = shard.value;
  }
  const lock = request.dryRun ? ok(undefined) : await takeWorkspaceLock(cache, request.wait, observer);
  if (!lock.ok) return lock;
  try {
    const run = { ...prepared.value, selected: planned, executorFor: executors.value };
    const outcome = await whileHandlingSignals(controller, () => buildAndRecord(loaded, cache, run, request, observer, controller.signal));
    return ok(outcome);
  } finally {
    if (lock.value?.ok) await lock.value.lock.release();
  }
}

/** The workspace lock (waiting for it unless `--no-wait`); temp space a killed run left is cleared once held. */
export async function takeWorkspaceLock(cache: CacheSession, wait: boolean, observer: BuildObserver): Promise<OpResult<AcquireResult>> {
  const lock = await acquireLock(cache.layout.lock, {
    wait,
    onWait: (owner) => observer.onWaitForLock?.(owner ? `pid ${owner.pid} (sluice ${owner.command}) since ${owner.since}` : "another process"),
  }).catch((error: Error) => error);
  if (lock instanceof Error) return refuse("failed", `cannot take the workspace lock ${cache.layout.lock}: ${lock.message}`);
  if (!lock.ok) {
    const holder = lock.owner ? `pid ${lock.owner.pid} (sluice ${lock.owner.command})` : "another process";
    return refuse("usage", `the workspace is locked by ${holder}; retry without --no-wait to wait for it`);
  }
  try {
    rmSync(cache.layout.tmp, { recursive: true, force: true });
  } catch {
    // left for the next run; this one's temp paths are its own
  }
  return ok(lock);
}

/**
 * Runs `body` with Ctrl-C and SIGTERM stopping the running stages (the
 * signal aborts). A second one is the forced stop: the handlers step aside
 * and the signal is raised again, so the process ends the way an
 * unhandled Ctrl-C (or SIGTERM) ends it, at once. `exp run` stops its
 * experiments' builds the same way.
 */
export async function whileHandlingSignals<T>(controller: AbortController, body: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      stepAside();
      process.kill(process.pid, signal);
      return;
    }
    writeErr(
      signal === "SIGTERM"
        ? "terminated (SIGTERM): stopping running stages (SIGTERM again to force)"
        : "interrupted: stopping running stages (Ctrl-C again to force)",
    );
    controller.abort();
  };
  const stepAside = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await body();
  } finally {
    stepAside();
  }
}

/** Plans (`--dry-run`) or builds, then records a build: sluice.lock, history, the cache's session state. */
async function buildAndRecord(
  loaded: LoadedWorkspace,
  cache: CacheSession,
  run: PreparedRun & { readonly executorFor: ExecutorChooser | undefined },
  request: RunRequest,
  observer: BuildObserver,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const common = { workspace: run.workspace, dag: loaded.dag, selected: run.selected, keepGoing: request.keepGoing, force: run.force, params: run.params, observer, signal };
  if (request.dryRun) {
    const build = await planBuild(cache, { ...common, explain: (stage, components) => explainStale(cache, stage, components) });
    return { build, failure: runFailure(build, request.failOnHold) };
  }
  const invocation = invocationId();
  // The git commit for the run history, asked for when the first stage executes instead of after the build.
  let commit: Promise<string | undefined> | undefined;
  const build = await runBuild(cache, {
    ...common,
    jobs: request.jobs,
    strict: request.strict === true,
    resources: run.resources,
    executorFor: run.executorFor,
    // A turn later, so forking git delays no stage; git then answers while the stages run.
    onFirstExecution: () => (commit = new Promise((resolve) => setImmediate(() => resolve(gitCommit(loaded.root))))),
    invocation,
  });
  // A full disk or a read-only folder here costs the lock file and history, never the cache.
  const recorded = await recordRun(cache, loaded.workspace, build, invocation, commit, run.variants)
    .then(() => saveSession(cache))
    .catch((error: Error) => error);
  if (recorded instanceof Error) {
    return { build, failure: { kind: build.interrupted ? "interrupted" : "failed", message: `could not record the run (sluice.lock, history, cache state): ${recorded.message}` } };
  }
  return { build, failure: runFailure(build, request.failOnHold) };
}

/** How a finished build failed, if it did: interrupted, a stage failed, or held with `--fail-on-hold`. */
function runFailure(build: BuildResult, failOnHold: boolean): OpFailure | undefined {
  if (build.interrupted) return { kind: "interrupted" };
  if (!build.ok) return { kind: "failed" };
  return failOnHold && build.results.some((r) => r.status === "held") ? { kind: "held" } : undefined;
}

function invocationId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(2).toString("hex")}`;
}

