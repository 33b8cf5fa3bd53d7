/**
 * The flow of `sluice run`, shared by `run --watch` and `watch`: select,
 * lock, build, record, report, exit code.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { openCache, saveSession, type CacheSession, type StageKey } from "../cache/index.js";
import type { HttpRemoteCache } from "../cache/remote/index.js";
import { chooseExecutors, gitCommit, recordRun, runBuild, type BuildObserver, type BuildResult, type ExecutorChooser } from "../exec/index.js";
import { parseShardSpec, selectTargets, withDownstream, withUpstream, type Dag } from "../graph/index.js";
import type { Json, Stage, StageId, Workspace } from "../pipeline/index.js";
import { plainReporter, runDocument, writeErr, writeOut } from "../report/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import { shellQuote } from "../util/shell-quote.js";
import { acquireLock } from "../util/file-lock.js";
import { loadContext, reportDiagnostics, usageError, type Context, type GlobalOptions } from "./context.js";
import { explainStale } from "./explain-stale.js";
import { parseParamOverrides, parseResources, type ParamOverrides } from "./run-options.js";
import { planDocument, readShardFromPlan, stageDurations } from "./shard-plan.js";
import { reportWatchSet } from "./watch-set.js";

export interface RunArgs {
  readonly targets: readonly string[];
  readonly jobs: number;
  readonly keepGoing: boolean;
  readonly force: readonly string[] | undefined;
  readonly dryRun: boolean;
  readonly set: readonly string[];
  readonly resources: string | undefined;
  readonly failOnHold: boolean;
  readonly wait: boolean;
  readonly watch: boolean;
  /** Undeclared outputs fail the stage (`--strict`). */
  readonly strict?: boolean;
  /** Shared cache URL (`--remote-cache`); falls back to SLUICE_REMOTE_CACHE, then the root pipeline. */
  readonly remoteCache?: string | undefined;
  readonly remoteCacheReadOnly?: boolean | undefined;
  /** `i/N`: run only shard i of N (`sluice plan --shards N` shows the split). */
  readonly shard?: string | undefined;
  /** A `sluice plan --json` document to take the shard from, so every CI job agrees on the split. */
  readonly shardPlan?: string | undefined;
  /** Where stages execute, overriding their declarations: `slurm`, `*:train=slurm`, `local`. */
  readonly executor?: readonly string[] | undefined;
}

/** The remote options a command accepts (`run`, `plan`). */
export interface RemoteArgs {
  readonly remoteCache?: string | undefined;
  readonly remoteCacheReadOnly?: boolean | undefined;
}

/** Exit codes of the public contract. */
export const EXIT = { ok: 0, failed: 1, usage: 2, held: 3, interrupted: 130 } as const;

export async function executeRun(argv: RunArgs & GlobalOptions): Promise<void> {
  if (argv.watch) {
    const { watchWorkspace } = await import("./watch-loop.js");
    await watchWorkspace(argv);
    return;
  }
  const context = await loadContext(argv);
  if (!context) return;
  reportWatchSet(context.workspace);
  const outcome = await runOnce(context, argv, new AbortController());
  if (outcome) process.exitCode = outcome.exitCode;
}

/**
 * One build of the targets with the workspace lock held. Undefined when the
 * options were bad (exit 2 set). `executorFor` replaces the executors the
 * declarations and `--executor` choose (a cluster job's own run).
 */
export async function runOnce(
  context: Context,
  argv: RunArgs & GlobalOptions,
  controller: AbortController,
  executorFor?: ExecutorChooser,
): Promise<{ exitCode: number; build: BuildResult } | undefined> {
  const { workspace, dag } = context;
  const selected = selectTargets(dag, argv.targets);
  if (!selected.ok) return reportDiagnostics(selected.error);
  const overrides = parseParamOverrides(workspace, argv.set);
  if (!overrides.ok) return reportDiagnostics(overrides.error);
  const resources = parseResources(argv.resources);
  if (!resources.ok) return reportDiagnostics(resources.error);
  const force = forceSet(context, argv.force);
  if (!force) return undefined;
  if (!Number.isInteger(argv.jobs) || argv.jobs < 1) return usageError(`--jobs must be a positive whole number (got ${argv.jobs})`);

  const observer = await pickObserver(argv);
  const remote = await openRemote(argv, workspace);
  if (!remote.ok) return undefined;
  // A dry run executes nothing, so it needs neither a cluster nor a remote cache for one.
  const executors = executorFor || argv.dryRun
    ? { ok: true as const, value: executorFor }
    : chooseExecutors({
        workspace,
        planned: selected.value,
        executorSpecs: argv.executor ?? [],
        remote: remote.value,
        sets: argv.set,
        env: process.env,
        // The same sluice: this node binary and script, which a shared filesystem shows the node at the same path.
        defaultCommand: [process.execPath, process.argv[1] ?? "sluice"].map(shellQuote).join(" "),
        onJobState: (id, state) => observer.onJobState?.(id, state),
      });
  if (!executors.ok) return usageError(executors.error);
  const cache = await openCache(workspace.root, remote.value);
  let planned: ReadonlySet<StageId> = selected.value;
  if (argv.shard !== undefined) {
    const shard = await shardStages(context.dag, cache, remote.value, selected.value, argv);
    if (!shard) return undefined;
    planned = shard;
  }
  const lock = argv.dryRun
    ? undefined
    : await acquireLock(cache.layout.lock, {
        wait: argv.wait,
        onWait: (owner) => observer.onWaitForLock?.(owner ? `pid ${owner.pid} (sluice ${owner.command}) since ${owner.since}` : "another process"),
      }).catch((error: Error) => error);
  if (lock instanceof Error) return ioFailure(`cannot take the workspace lock ${cache.layout.lock}: ${lock.message}`);
  if (lock && !lock.ok) {
    return usageError(`the workspace is locked by ${lock.owner ? `pid ${lock.owner.pid} (sluice ${lock.owner.command})` : "another process"}; retry without --no-wait to wait for it`);
  }
  // Temp space left by a killed run is garbage once we hold the lock.
  if (lock) {
    try {
      rmSync(cache.layout.tmp, { recursive: true, force: true });
    } catch {
      // left for the next run; this one's temp paths are its own
    }
  }

  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    writeErr("interrupted: stopping running stages (Ctrl-C again to force)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const invocation = invocationId();
  let unrecorded = false;
  // The git commit for the run history, asked for when the first stage executes instead of after the build.
  let commit: Promise<string | undefined> | undefined;
  let build: BuildResult;
  try {
    build = await runBuild(cache, {
      workspace,
      dag,
      selected: planned,
      jobs: argv.jobs,
      keepGoing: argv.keepGoing,
      force,
      dryRun: argv.dryRun,
      strict: argv.strict === true,
      resources: resources.value,
      params: paramsWith(overrides.value),
      explain: (stage, components) => explainStale(cache, stage, components),
      observer,
      executorFor: executors.value,
      onFirstExecution: () => {
        // A turn later, so forking git delays no stage; git then answers while the stages run.
        commit = new Promise((resolve) => setImmediate(() => resolve(gitCommit(workspace.root))));
      },
      signal: controller.signal,
      invocation,
    });
    if (!argv.dryRun) {
      // A full disk or a read-only folder here costs the lock file and history, never the cache.
      const variants = variantStages(dag, workspace, overrides.value);
      const recorded = await recordRun(cache, workspace, build, invocation, commit, variants)
        .then(() => saveSession(cache))
        .catch((error: Error) => error);
      if (recorded instanceof Error) {
        writeErr(`error: could not record the run (sluice.lock, history, cache state): ${recorded.message}`);
        unrecorded = true;
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (lock?.ok) await lock.lock.release();
  }
  await observer.finish(build.results);
  if (process.env["GITHUB_STEP_SUMMARY"] || process.env["GITHUB_ACTIONS"] === "true") {
    // Loaded only in CI: a local run pays nothing for the GitHub summary.
    await (await import("../report/ci-summary.js")).reportToCi(build.results, dag.stages, process.env);
  }
  if (argv.json) writeOut(JSON.stringify(runDocument(build.ok && !build.interrupted, build.results, build.interrupted), null, 2));
  const held = build.results.some((r) => r.status === "held");
  const exitCode = build.interrupted ? EXIT.interrupted : !build.ok || unrecorded ? EXIT.failed : held && argv.failOnHold ? EXIT.held : EXIT.ok;
  return { exitCode, build };
}

/**
 * The remote cache the flags, SLUICE_REMOTE_CACHE or the root pipeline name,
 * loaded with a dynamic import only when one is configured: a local run
 * pays nothing for it. Not ok (exit 2 set) on a malformed URL.
 */
export async function openRemote(
  argv: RemoteArgs,
  workspace: Workspace,
): Promise<{ ok: true; value: HttpRemoteCache | undefined } | { ok: false }> {
  const flag = argv.remoteCache === "" ? undefined : argv.remoteCache;
  if (flag === undefined && !process.env["SLUICE_REMOTE_CACHE"] && workspace.remoteCache === undefined) return { ok: true, value: undefined };
  const { HttpRemoteCache, resolveRemoteConfig } = await import("../cache/remote/index.js");
  const config = resolveRemoteConfig({
    flag,
    readOnlyFlag: argv.remoteCacheReadOnly === true,
    workspaceOption: workspace.remoteCache,
    env: process.env,
  });
  if (!config.ok) {
    usageError(config.error);
    return { ok: false };
  }
  return { ok: true, value: config.value ? new HttpRemoteCache(config.value) : undefined };
}

/** The stages of `--shard i/N`, with their upstream; undefined (exit 2 set) when the spec or plan is bad. */
async function shardStages(
  dag: Dag,
  cache: CacheSession,
  remote: HttpRemoteCache | undefined,
  selected: ReadonlySet<StageId>,
  argv: RunArgs,
): Promise<ReadonlySet<StageId> | undefined> {
  const spec = parseShardSpec(argv.shard ?? "");
  if (!spec) return usageError(`--shard ${argv.shard}: expected i/N with 1 <= i <= N, e.g. --shard 2/4`);
  if (argv.shardPlan) {
    const fromPlan = await readShardFromPlan(argv.shardPlan, spec.index, spec.count, new Set(dag.stages.keys()));
    if (!fromPlan.ok) return usageError(fromPlan.error);
    return withUpstream(dag, fromPlan.stages);
  }
  const durations = await stageDurations(cache, selected, peekDuration(remote));
  const plan = planDocument(dag, selected, spec.count, durations);
  return new Set(plan.shards[spec.index - 1]?.stages ?? []);
}

/** Durations from remote records, silently: a planning aid is no place for warnings. */
export function peekDuration(remote: HttpRemoteCache | undefined): ((key: StageKey) => Promise<number | undefined>) | undefined {
  if (!remote) return undefined;
  return async (key) => (await remote.peek(key, () => undefined))?.record.durationMs;
}

/** An environment failure (disk full, read-only, permission denied): one message, exit 1. */
function ioFailure(message: string): undefined {
  writeErr(`error: ${message}`);
  process.exitCode = EXIT.failed;
  return undefined;
}

function forceSet(context: Context, force: readonly string[] | undefined): "all" | ReadonlySet<StageId> | undefined {
  if (force === undefined) return new Set();
  const names = force.filter((f) => f !== "");
  if (names.length === 0) return "all";
  const matched = selectTargets(context.dag, names);
  if (!matched.ok) return reportDiagnostics(matched.error);
  // --force names stages, not their upstream.
  return new Set([...matched.value].filter((id) => names.some((n) => id === n || id.startsWith(`${n}:`) || n.includes("*"))));
}

/**
 * The stages a `--set` made differ from the declared pipeline: those whose
 * params it changed, and everything downstream of them. An override equal
 * to the declared value changes nothing.
 */
function variantStages(dag: Dag, workspace: Workspace, overrides: ParamOverrides): ReadonlySet<StageId> {
  const changed = [...overrides]
    .filter(([id, values]) => {
      const declared = workspace.stages.get(id)?.params ?? {};
      return Object.entries(values).some(([name, value]) => canonicalJson(value) !== canonicalJson(declared[name] ?? null));
    })
    .map(([id]) => id);
  return changed.length === 0 ? new Set() : withDownstream(dag, changed);
}

function paramsWith(overrides: ParamOverrides): (stage: Stage) => Readonly<Record<string, Json>> {
  return (stage) => {
    const override = overrides.get(stage.id);
    return override ? { ...stage.params, ...override } : stage.params;
  };
}

type Reporter = BuildObserver & { finish(results: BuildResult["results"]): Promise<void> };

/** listr2 on an interactive terminal (loaded only then), plain lines otherwise. */
async function pickObserver(argv: GlobalOptions): Promise<Reporter> {
  // A terminal too narrow to draw a task list (or one reporting no width) gets plain lines.
  const interactive = process.stderr.isTTY && (process.stderr.columns ?? 0) >= 40 && !process.env["CI"] && !argv.json;
  if (interactive) {
    const { listrReporter } = await import("../report/listr-reporter.js");
    const listr = listrReporter();
    return { ...listr, finish: () => listr.done() };
  }
  const plain = plainReporter({ logs: !argv.json || argv.verbose === true, verbose: argv.verbose === true });
  return {
    ...plain,
    finish: async (results) => {
      plain.summary(results);
    },
  };
}

function invocationId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(2).toString("hex")}`;
}
