/**
 * Runs a plan: each selected stage starts as soon as its upstream results
 * are in, computes its key, and is either a hit (cached / restored / held)
 * or executes within the run's job and resource limits.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import {
  externalDigest,
  stageComponents,
  stageKey,
  type CacheSession,
  type Digest,
  type KeyComponents,
  type RecordedHit,
  type StageKey,
} from "../cache/index.js";
import type { Dag } from "../graph/index.js";
import { topoOrder, withUpstream } from "../graph/index.js";
import type { Json, Stage, StageId, Workspace } from "../pipeline/index.js";
import type { BuildObserver, DifferingOutput, FailureReason, StageResult, Verification } from "./events.js";
import { executeStage, type ExecuteOptions, type ExecutedStage } from "./execute-stage.js";
import type { ExecutorChooser } from "./executors/index.js";
import { emptyLogDigest, restoreOutputs } from "./outputs.js";
import { Slots } from "./slots.js";
import { ShadowPool } from "./shadow.js";
import { ShellRunners } from "./shell-runner.js";
import { WorkerPool } from "./worker-pool.js";

export interface BuildOptions {
  readonly workspace: Workspace;
  readonly dag: Dag;
  /** The stages to plan (targets plus upstream). */
  readonly selected: ReadonlySet<StageId>;
  readonly jobs: number;
  readonly keepGoing: boolean;
  /** Stages that run even when they are hits. */
  readonly force: "all" | ReadonlySet<StageId>;
  readonly dryRun: boolean;
  /** Undeclared outputs of cmd stages fail the stage instead of warning. */
  readonly strict?: boolean;
  /** Hits to re-execute into scratch space and compare with their records (`verify --rerun`). */
  readonly rerun?: ReadonlySet<StageId>;
  readonly resources: Readonly<Record<string, number>>;
  /** Effective params per stage (declared, with `--set` overrides applied). */
  readonly params: (stage: Stage) => Readonly<Record<string, Json>>;
  /**
   * Dry runs only: output digests to assume for an upstream stage that
   * would run, so its downstream keys can still be computed (`status
   * --locked` takes sluice.lock's). Without it, or when it has none, the
   * downstream stage only says that its upstream would run.
   */
  readonly assumedOutputs?: (id: StageId) => Readonly<Record<string, string>> | undefined;
  /** Explains why a stage is stale (dry runs), given its current components. */
  readonly explain?: (stage: Stage, components: KeyComponents) => Promise<string[]>;
  readonly observer: BuildObserver;
  /** Where each stage that misses the cache executes; local when absent or undefined. */
  readonly executorFor?: ExecutorChooser | undefined;
  /** Called once, as the first stage starts executing (not for hits). */
  readonly onFirstExecution?: () => void;
  readonly signal: AbortSignal;
  /** Identifies this invocation in temp paths and history. */
  readonly invocation: string;
}

export interface BuildResult {
  readonly ok: boolean;
  readonly interrupted: boolean;
  /** In plan order. */
  readonly results: readonly StageResult[];
  /** Stages that executed, for the run history. */
  readonly executed: readonly ExecutedStage[];
  /** The key components of every stage whose key was computed (sluice.lock keeps them). */
  readonly components: ReadonlyMap<StageId, KeyComponents>;
}

export async function runBuild(cache: CacheSession, options: BuildOptions): Promise<BuildResult> {
  const ordered = topoOrder(options.dag, options.selected);
  if (!ordered.ok) throw new Error(`cycle: ${ordered.cycle.join(" -> ")}`); // validated before
  const plan = ordered.order;
  options.observer.onPlan?.(plan);

  const slots = new Slots(options.jobs, options.resources);
  const invocationTemp = join(cache.layout.tmp, options.invocation);
  const executors = {
    workers: new WorkerPool(),
    shells: new ShellRunners(invocationTemp),
    shadows: new ShadowPool(invocationTemp),
  };
  const pending = new Map<StageId, Promise<StageResult>>();
  const executed: ExecutedStage[] = [];
  const componentsOf = new Map<StageId, KeyComponents>();
  const externals = new Map<string, Promise<{ value: Json; digest: Digest }>>();
  const emptyLog = emptyLogDigest();
  let stopped = false;
  let executing = false;

  const settled = new Map<StageId, StageResult>();
  /** Keys of every planned stage upstream of `stage`; all of them have settled by the time it runs. */
  const upstreamKeys = (stage: Stage): Record<string, string> => {
    const keys: Record<string, string> = {};
    for (const id of withUpstream(options.dag, stage.upstream)) {
      const key = settled.get(id)?.key;
      if (key) keys[id] = key;
    }
    return keys;
  };

  const finish = (result: StageResult): StageResult => {
    settled.set(result.id, result);
    if (result.status === "failed" && !options.keepGoing) stopped = true;
    options.observer.onResult?.(result);
    return result;
  };

  const processStage = async (stage: Stage): Promise<StageResult> => {
    const upstream = await Promise.all(stage.upstream.filter((id) => options.selected.has(id)).map((id) => pending.get(id)));
    const blocked = upstream.find((r) => r?.status === "failed" || r?.status === "skipped");
    if (blocked) return finish(skipped(stage.id, [`upstream ${blocked.id} ${blocked.status}`]));
    if (stopped || options.signal.aborted) return finish(skipped(stage.id, ["the run stopped after a failure"]));
    const waiting = upstream.filter((r) => r?.status === "would-run");
    const assumed = new Map(waiting.map((r) => [r?.id, r ? options.assumedOutputs?.(r.id) : undefined]));
    if (waiting.length > 0 && [...assumed.values()].some((outs) => outs === undefined)) {
      return finish(simple(stage.id, "would-run", undefined, [`upstream ${waiting.map((r) => r?.id).join(", ")} would run`]));
    }

    const byId = new Map(upstream.map((r) => [r?.id, r]));
    const depDigests = new Map<string, Digest>();
    for (const dep of stage.deps) {
      if (dep.kind === "output") {
        const digest = byId.get(dep.stage)?.outs[dep.out]?.digest ?? assumed.get(dep.stage)?.[dep.out];
        if (digest) depDigests.set(dep.name, digest as Digest);
      } else if (dep.kind === "source") {
        const digest = await cache.statCache.digest(dep.path);
        if (!digest) return finish(failed(stage.id, "missing-input", `input "${dep.name}" (${dep.path}) does not exist`));
        depDigests.set(dep.name, digest);
      } else {
        let resolved = externals.get(dep.ref.id);
        if (!resolved) {
          const resolve = dep.ref.resolve;
          // Called inside `then` so a resolver that throws at once rejects like one that rejects later.
          resolved = Promise.resolve({ workspaceRoot: options.workspace.root }).then(resolve).then((value) => ({
            value,
            digest: externalDigest(value),
          }));
          externals.set(dep.ref.id, resolved);
        }
        // A registry that cannot be read (a damaged log, a database that is down) fails this stage, not the run.
        const value = await resolved.catch((error: unknown) => error as Error);
        if (value instanceof Error) {
          return finish(failed(stage.id, "external-unavailable", `dep "${dep.name}" (${dep.ref.id}) could not be read: ${value.message}`));
        }
        depDigests.set(dep.name, value.digest);
      }
    }
    const params = options.params(stage);
    const components = await stageComponents(stage, params, depDigests, cache.code);
    const key = stageKey(components);
    componentsOf.set(stage.id, components);
    const forced = options.force === "all" || options.force.has(stage.id) || stage.alwaysRun;

    // An upstream that would run (its outputs assumed) makes this stage wait for it, whatever its own key finds.
    if (!forced && waiting.length === 0) {
      const local = await cache.records.hit(key);
      if (local.problem) options.observer.onWarning?.(`${stage.id}: run record ${key} is corrupt (${local.problem.detail}); treating it as a miss`);
      const warn = (message: string) => options.observer.onWarning?.(`${stage.id}: ${message}`);
      const record = local.record ?? (options.dryRun ? undefined : await cache.remote?.fetch(key, stage.outs, cache, warn));
      const distrust = record && stage.confirmHit ? await confirmHit(stage, record) : undefined;
      if (distrust !== undefined) options.observer.onWarning?.(`${stage.id}: not reusing the cached result: ${distrust}`);
      if (record && distrust === undefined) {
        const hit = await serveHit(stage, key, record);
        if (hit && options.rerun?.has(stage.id)) return finish({ ...hit, verification: await rerunInScratch(stage, key, record, components, params, depDigests) });
        if (hit) return finish(hit);
      }
    }
    if (options.dryRun) {
      const why = forced
        ? ["forced"]
        : waiting.length > 0
          ? [`upstream ${waiting.map((r) => r?.id).join(", ")} would run`]
          : ((await options.explain?.(stage, components)) ?? ["no run record for this key"]);
      return finish(simple(stage.id, "would-run", key, why));
    }

    const impossible = slots.impossible({ resources: stage.resources });
    if (impossible) return finish(failed(stage.id, "unsatisfiable-resources", impossible));
    const release = await slots.acquire({ resources: stage.resources });
    try {
      if (stopped || options.signal.aborted) return finish(skipped(stage.id, ["the run stopped after a failure"]));
      if (!executing) {
        executing = true;
        options.onFirstExecution?.();
      }
      options.observer.onStart?.(stage.id);
      const inputs: ExecuteOptions = {
        ...stageInputs(stage, params, components, key, depDigests),
        strict: options.strict === true,
        onLog: (text) => options.observer.onLog?.(stage.id, text, false),
        onActionEnd: release,
      };
      const local = (o: ExecuteOptions) => executeStage(cache, executors, o);
      const executor = options.executorFor?.(stage);
      const outcome = await (executor ? executor.execute(cache, inputs, local) : local(inputs));
      executed.push(outcome);
      return finish(outcome.result);
    } finally {
      release();
    }
  };

  /** What executing a stage needs besides how to treat its output. */
  const stageInputs = (
    stage: Stage,
    params: Readonly<Record<string, Json>>,
    components: KeyComponents,
    key: StageKey,
    depDigests: ReadonlyMap<string, Digest>,
  ) => ({
    workspace: options.workspace,
    stage,
    params,
    components,
    key,
    depDigests,
    // Computed only for the stages that read them (run functions): a transitive walk per stage is quadratic in a big DAG.
    upstreamKeys: () => upstreamKeys(stage),
    depValue: async (name: string): Promise<Json> => {
      const dep = stage.deps.find((d) => d.name === name);
      return dep?.kind === "external" ? ((await externals.get(dep.ref.id))?.value ?? null) : null;
    },
    signal: options.signal,
    onWarning: (message: string) => options.observer.onWarning?.(`${stage.id}: ${message}`),
  });

  /** Re-executes a hit into scratch space (its deps are in the workspace) and compares output digests. */
  const rerunInScratch = async (
    stage: Stage,
    key: StageKey,
    record: RecordedHit,
    components: KeyComponents,
    params: Readonly<Record<string, Json>>,
    depDigests: ReadonlyMap<string, Digest>,
  ): Promise<Verification> => {
    if (record.decisions.length > 0) return { outcome: "not-rerun", why: "it records decisions (a promotion); rerunning would repeat them" };
    const release = await slots.acquire({ resources: stage.resources });
    try {
      const outcome = await executeStage(cache, executors, {
        ...stageInputs(stage, params, components, key, depDigests),
        strict: false,
        scratch: true,
        onLog: () => undefined,
      });
      if (outcome.result.status !== "ran") return { outcome: "not-rerun", why: `the rerun failed: ${outcome.result.failure?.message ?? outcome.result.status}` };
      const outputs = Object.entries(record.outs)
        .map(([name, out]) => ({ name, recorded: out.digest, rerun: outcome.result.outs[name]?.digest ?? "missing" }))
        .filter((o) => o.recorded !== o.rerun);
      return outputs.length === 0 ? { outcome: "identical" } : { outcome: "differs", outputs };
    } finally {
      release();
    }
  };

  /** A hit: make the workspace hold the record's outputs; undefined when the store cannot serve it. */
  /** The stage's own check of a hit (see `StageDecl.confirmHit`); a check that throws distrusts the hit. */
  const confirmHit = async (stage: Stage, record: RecordedHit): Promise<string | undefined> => {
    try {
      return (await stage.confirmHit?.({ workspaceRoot: options.workspace.root, decisions: record.decisions ?? [] })) ?? undefined;
    } catch (error) {
      return `its check failed (${(error as Error).message})`;
    }
  };

  const serveHit = async (stage: Stage, key: StageKey, record: RecordedHit): Promise<StageResult | undefined> => {
    let restored = false;
    let why: string[] = [];
    if (options.dryRun) {
      const differing: DifferingOutput[] = [];
      for (const out of stage.outs) {
        const present = await cache.statCache.digest(out.path);
        if (present !== record.outs[out.name]?.digest) differing.push({ path: out.path, state: present === undefined ? "missing" : "modified" });
      }
      if (differing.length > 0) {
        const stale = differing.map((d) => `${d.path} (${d.state})`);
        return { ...simple(stage.id, "restored", key, [`would restore ${stale.join(", ")}`]), outs: record.outs, differing };
      }
    } else {
      const outcome = await restoreOutputs(options.workspace.root, stage, record, cache.store, cache.statCache);
      if (!outcome.ok) {
        const { problem } = outcome;
        options.observer.onWarning?.(
          problem.reason === "unusable-record"
            ? `${stage.id}: not reusing the cached result ${key}: ${problem.detail}; rebuilding`
            : `${stage.id}: stored object ${problem.digest} is ${problem.reason === "missing-object" ? "missing" : "corrupt"}; rebuilding`,
        );
        return undefined;
      }
      restored = outcome.restored;
      why = outcome.overwritten.map((o) => `restored ${o.path} over ${o.fromRun ? "the output of another run" : "a local edit"}`);
    }
    if (record.log !== emptyLog && options.observer.onLog) {
      const log = await cache.store.readVerified(record.log);
      if (log.ok) options.observer.onLog(stage.id, log.bytes.toString("utf8"), true);
    }
    return {
      ...simple(stage.id, record.held ? "held" : restored ? "restored" : "cached", key, why),
      outs: record.outs,
      decisions: record.decisions,
    };
  };

  for (const id of plan) {
    const stage = options.workspace.stages.get(id) as Stage;
    pending.set(id, processStage(stage));
  }
  const results = await Promise.all(plan.map((id) => pending.get(id) as Promise<StageResult>));
  await executors.workers.close();
  executors.shells.close();
  rmSync(invocationTemp, { recursive: true, force: true });
  return {
    ok: results.every((r) => r.status !== "failed" && r.status !== "skipped"),
    interrupted: options.signal.aborted,
    results,
    executed,
    components: componentsOf,
  };
}

function simple(id: StageId, status: StageResult["status"], key: StageKey | undefined, why: readonly string[]): StageResult {
  return { id, status, key, durationMs: 0, outs: {}, decisions: [], failure: undefined, logTail: undefined, why, warnings: [] };
}

function skipped(id: StageId, why: readonly string[]): StageResult {
  return simple(id, "skipped", undefined, why);
}

function failed(id: StageId, reason: FailureReason, message: string): StageResult {
  return { ...simple(id, "failed", undefined, []), failure: { reason, message } };
}
