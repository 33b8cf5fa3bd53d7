/**
 * Runs a plan: each selected stage starts as soon as its upstream results
 * are in (walk-plan.ts), computes its key, and is either a hit served from
 * the cache (cached / restored / held) or executes within the run's job and
 * resource limits, on the executor chosen for it.
 *
 *   frozen? its outputs as they are (frozen-stage.ts)
 *   keyed -> forced? -> hit? serve (and, with --rerun, verify in scratch)
 *                    -> miss: slot -> execute -> record
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { CacheSession, KeyComponents } from "../cache/index.js";
import type { Dag } from "../graph/index.js";
import type { Json, Stage, StageId, Workspace } from "../pipeline/index.js";
import { buildResult, type BuildResult } from "./build-result.js";
import { ExternalValues, resultDigests } from "./dep-digests.js";
import type { BuildObserver, StageResult } from "./events.js";
import { executeStage, type ExecutionContext } from "./execute-stage.js";
import { frozenStage } from "./frozen-stage.js";
import { lookUpHit, serveHit, type HitLookup } from "./hit-serving.js";
import { LocalRunners } from "./local-runners.js";
import { verifyByRerun } from "./rerun-verify.js";
import { ShadowPool } from "./shadow.js";
import { Slots } from "./slots.js";
import type { ExecutedStage, StageWork } from "./stage-attempt.js";
import type { ExecutorChooser, LocalExecution } from "./executors/index.js";
import { forcedToRun, keyStage, type ForceSet } from "./stage-keying.js";
import { failedResult, skippedResult } from "./stage-results.js";
import { StopState } from "./stop-state.js";
import { Settled, walkPlan } from "./walk-plan.js";

export type { BuildResult } from "./build-result.js";

export interface BuildOptions {
  readonly workspace: Workspace;
  readonly dag: Dag;
  /** The stages to run (targets plus upstream). */
  readonly selected: ReadonlySet<StageId>;
  readonly jobs: number;
  readonly keepGoing: boolean;
  /** Stages that run even when they are hits. */
  readonly force: ForceSet;
  /** Undeclared outputs of cmd stages fail the stage instead of warning. */
  readonly strict?: boolean;
  /** Hits to re-execute into scratch space and compare with their records (`verify --rerun`). */
  readonly rerun?: ReadonlySet<StageId>;
  readonly resources: Readonly<Record<string, number>>;
  /** Effective params per stage (declared, with `--set` overrides applied). */
  readonly params: (stage: Stage) => Readonly<Record<string, Json>>;
  readonly observer: BuildObserver;
  /** Called once, as the first stage starts executing (not for hits). */
  readonly onFirstExecution?: () => void;
  /** Where some stages execute instead of here (a cluster); the others run locally. See executors/. */
  readonly executorFor?: ExecutorChooser | undefined;
  readonly signal: AbortSignal;
  /** Identifies this invocation in temp paths and history. */
  readonly invocation: string;
}

export async function runBuild(cache: CacheSession, options: BuildOptions): Promise<BuildResult> {
  const temp = join(cache.layout.tmp, options.invocation);
  const runners = new LocalRunners(temp);
  const stop = new StopState(options.keepGoing, options.signal);
  const settled = new Settled(options.dag);
  const context: ExecutionContext = {
    cache,
    workspaceRoot: options.workspace.root,
    shadows: new ShadowPool(temp),
    runnerFor: (stage) => runners.for(stage),
    signal: options.signal,
  };
  const builder = new StageBuilder(options, context, stop, settled);
  try {
    const results = await walkPlan({ ...options, stop }, settled, (stage, upstream) => builder.visit(stage, upstream));
    return buildResult(results, options.signal, builder.executed, builder.components);
  } finally {
    await runners.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Decides and carries out one stage of a build at a time; many run at once, sharing the slots. */
class StageBuilder {
  /** Stages that executed, for the run history. */
  readonly executed: ExecutedStage[] = [];
  readonly components = new Map<StageId, KeyComponents>();
  readonly #options: BuildOptions;
  readonly #context: ExecutionContext;
  readonly #stop: StopState;
  readonly #settled: Settled;
  readonly #slots: Slots;
  readonly #externals: ExternalValues;
  readonly #lookup: HitLookup;
  #beforeFirstExecution: (() => void) | undefined;

  constructor(options: BuildOptions, context: ExecutionContext, stop: StopState, settled: Settled) {
    this.#options = options;
    this.#context = context;
    this.#stop = stop;
    this.#settled = settled;
    this.#slots = new Slots(options.jobs, options.resources);
    this.#externals = new ExternalValues(options.workspace.root);
    this.#lookup = { cache: context.cache, workspaceRoot: options.workspace.root, remote: true, observer: options.observer };
    this.#beforeFirstExecution = options.onFirstExecution;
  }

  async visit(stage: Stage, upstream: readonly StageResult[]): Promise<StageResult> {
    if (stage.frozen) return frozenStage(this.#context.cache, this.#options.workspace.root, stage, true);
    const params = this.#options.params(stage);
    const keyed = await keyStage(this.#context.cache, this.#externals, stage, params, resultDigests(upstream));
    if (!keyed.ok) return failedResult(stage.id, keyed.failure.reason, keyed.failure.message);
    this.components.set(stage.id, keyed.components);
    const work: StageWork = {
      stage,
      params,
      ...keyed,
      upstreamKeys: () => this.#settled.upstreamKeys(stage),
      depValue: (name) => this.#externals.valueOf(stage, name),
    };
    const hit = forcedToRun(this.#options.force, stage) ? undefined : await this.#serve(work);
    return hit ?? this.#execute(work);
  }

  /** The hit for the stage's key, served into the workspace; undefined on a miss or a hit the store cannot serve. */
  async #serve(work: StageWork): Promise<StageResult | undefined> {
    const record = await lookUpHit(this.#lookup, work.stage, work.key);
    if (!record) return undefined;
    const hit = await serveHit(this.#lookup, work.stage, work.key, record);
    if (!hit || !this.#options.rerun?.has(work.stage.id)) return hit;
    return { ...hit, verification: await verifyByRerun(record, () => this.#rerunInScratch(work)) };
  }

  async #rerunInScratch(work: StageWork): Promise<StageResult> {
    const release = await this.#slots.acquire({ resources: work.stage.resources });
    try {
      const hooks = { strict: false, scratch: true, onLog: () => undefined, onWarning: this.#warn(work.stage) };
      return (await executeStage(this.#context, work, hooks)).result;
    } finally {
      release();
    }
  }

  async #execute(work: StageWork): Promise<StageResult> {
    const { stage } = work;
    const impossible = this.#slots.impossible({ resources: stage.resources });
    if (impossible) return failedResult(stage.id, "unsatisfiable-resources", impossible);
    const release = await this.#slots.acquire({ resources: stage.resources });
    try {
      // Waiting for a slot takes time: the run may have stopped meanwhile.
      const stopped = this.#stop.why;
      if (stopped) return skippedResult(stage.id, [stopped]);
      this.#beforeFirstExecution?.();
      this.#beforeFirstExecution = undefined;
      this.#options.observer.onStart?.(stage.id);
      const hooks = {
        strict: this.#options.strict === true,
        onLog: (text: string) => this.#options.observer.onLog?.(stage.id, text, false),
        onWarning: this.#warn(stage),
        onActionEnd: release,
      };
      const local: LocalExecution = (w, h) => executeStage(this.#context, w, h);
      const elsewhere = this.#options.executorFor?.(stage);
      const outcome = await (elsewhere ? elsewhere.execute(this.#context, work, hooks, local) : local(work, hooks));
      this.executed.push(outcome);
      return outcome.result;
    } finally {
      release();
    }
  }

  #warn(stage: Stage): (message: string) => void {
    return (message) => this.#options.observer.onWarning?.(`${stage.id}: ${message}`);
  }
}
