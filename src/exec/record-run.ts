/**
 * After a build: update `sluice.lock` with the stages of the declared
 * pipeline that ended with their outputs in place, and append every
 * executed stage (variants included) to the run history.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  appendHistory,
  lockedComponents,
  readLockFile,
  writeLockFile,
  type CacheSession,
  type HistoryEntry,
  type LockedStage,
  type LockFile,
} from "../cache/index.js";
import type { StageId, Workspace } from "../pipeline/index.js";
import { readGitHead } from "../util/git-head.js";
import type { BuildResult } from "./build-result.js";

/**
 * `commit` is the workspace's git commit when the caller asked for it
 * already (as the first stage started, so git ran beside the stages);
 * otherwise it is asked for here, if any stage executed. `variants` are the
 * stages that did not run as declared (a `--set` changed their params or an
 * upstream's): sluice.lock keeps their declared entries.
 */
export async function recordRun(
  cache: CacheSession,
  workspace: Workspace,
  build: BuildResult,
  invocation: string,
  commit?: Promise<string | undefined>,
  variants: ReadonlySet<StageId> = new Set(),
): Promise<void> {
  const previous = readLockFile(cache.layout.lockFile);
  const stages: Record<string, LockedStage> = {};
  for (const [id, entry] of Object.entries(previous.stages)) {
    if (workspace.stages.has(id as never)) stages[id] = entry; // declared stages only: a removed stage leaves the lock
  }
  for (const result of build.results) {
    if (!result.key || !["ran", "cached", "restored", "held"].includes(result.status) || variants.has(result.id)) continue;
    const stage = workspace.stages.get(result.id);
    if (!stage) continue;
    const components = build.components.get(result.id);
    stages[result.id] = {
      ...(components ? { components: lockedComponents(components) } : {}),
      key: result.key,
      outs: stage.outs.flatMap((out) => {
        const recorded = result.outs[out.name];
        // Keys in sorted order, as sluice.lock lists them (see canonicalJson).
        return recorded ? [{ digest: recorded.digest, path: recorded.path, size: recorded.size }] : [];
      }),
    };
  }
  const next: LockFile = { stages, version: 1 };
  await writeLockFile(cache.layout.lockFile, next, previous);

  if (build.executed.length === 0) return;
  const head = await (commit ?? gitCommit(workspace.root));
  const entries: HistoryEntry[] = build.executed.map((run, index) => ({
    run: `${invocation}.${index + 1}`,
    stage: run.result.id,
    key: run.result.key ?? "",
    status: run.result.status === "held" ? "held" : run.result.status === "ran" ? "ran" : "failed",
    startedAt: run.startedAt,
    durationMs: run.result.durationMs,
    params: run.params,
    deps: Object.fromEntries(Object.entries(run.components.deps).map(([name, dep]) => [name, dep.digest])),
    outs: Object.fromEntries(Object.entries(run.result.outs).map(([name, out]) => [name, out.digest])),
    metrics: run.metrics,
    commit: head,
    exit: run.result.failure ? `${run.result.failure.reason}: ${run.result.failure.message}` : undefined,
    ...(run.result.job ? { executor: run.result.job.executor, job: run.result.job.id, ...(run.result.job.node ? { node: run.result.job.node } : {}) } : {}),
  }));
  await appendHistory(cache.layout.history, entries);
}

/** The workspace's git commit, or undefined outside a repository (or before its first commit). */
export async function gitCommit(root: string): Promise<string | undefined> {
  const read = readGitHead(root);
  if (read !== "unsure") return read;
  try {
    const { stdout } = await promisify(execFile)("git", ["rev-parse", "HEAD"], { cwd: root, timeout: 5_000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
