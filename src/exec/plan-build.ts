/**
 * The planner (`run --dry-run`, `status`, `explain`, `report`): computes
 * every selected stage's key and says what a build would do with it,
 * executing, restoring and downloading nothing.
 *
 *   frozen? its outputs as they are, or would restore them (frozen-stage.ts)
 *   upstream would run? -> outputs assumed? key : would-run (upstream)
 *   keyed -> forced? would-run -> local hit? cached / held / restored (would restore)
 *                              -> miss: would-run (why, from `explain`)
 */
import type { CacheSession, KeyComponents } from "../cache/index.js";
import type { Dag } from "../graph/index.js";
import type { Json, Stage, StageId, Workspace } from "../pipeline/index.js";
import { buildResult, type BuildResult } from "./build-result.js";
import { ExternalValues, resultDigests } from "./dep-digests.js";
import type { BuildObserver, StageResult } from "./events.js";
import { frozenStage } from "./frozen-stage.js";
import { lookUpHit, previewHit, type HitLookup } from "./hit-serving.js";
import { forcedToRun, keyStage, type ForceSet } from "./stage-keying.js";
import { failedResult, plainResult } from "./stage-results.js";
import { StopState } from "./stop-state.js";
import { Settled, walkPlan } from "./walk-plan.js";

export interface PlanOptions {
  readonly workspace: Workspace;
  readonly dag: Dag;
  /** The stages to plan (targets plus upstream). */
  readonly selected: ReadonlySet<StageId>;
  /** Plan on past a stage that cannot be keyed (a missing input); default true. */
  readonly keepGoing?: boolean;
  /** Stages that would run even when they are hits; default none. */
  readonly force?: ForceSet;
  /** Effective params per stage; default the declared ones. */
  readonly params?: (stage: Stage) => Readonly<Record<string, Json>>;
  /**
   * Output digests to assume for an upstream stage that would run, so its
   * downstream keys can still be computed (`status --locked` takes
   * sluice.lock's). Without it, or when it has none, the downstream stage
   * only says that its upstream would run.
   */
  readonly assumedOutputs?: (id: StageId) => Readonly<Record<string, string>> | undefined;
  /** Explains why a stage is stale, given its current components. */
  readonly explain?: (stage: Stage, components: KeyComponents) => Promise<string[]>;
  readonly observer?: BuildObserver;
  readonly signal?: AbortSignal;
}

export async function planBuild(cache: CacheSession, options: PlanOptions): Promise<BuildResult> {
  const signal = options.signal ?? new AbortController().signal;
  const observer = options.observer ?? {};
  const stop = new StopState(options.keepGoing ?? true, signal);
  const planner = new StagePlanner(cache, options, observer);
  const walk = { workspace: options.workspace, dag: options.dag, selected: options.selected, observer, stop };
  const results = await walkPlan(walk, new Settled(options.dag), (stage, upstream) => planner.visit(stage, upstream));
  return buildResult(results, signal, [], planner.components);
}

/** Decides what a build would do with one stage. */
class StagePlanner {
  readonly components = new Map<StageId, KeyComponents>();
  readonly #cache: CacheSession;
  readonly #options: PlanOptions;
  readonly #externals: ExternalValues;
  readonly #lookup: HitLookup;

  constructor(cache: CacheSession, options: PlanOptions, observer: BuildObserver) {
    this.#cache = cache;
    this.#options = options;
    this.#externals = new ExternalValues(options.workspace.root);
    this.#lookup = { cache, workspaceRoot: options.workspace.root, remote: false, observer };
  }

  async visit(stage: Stage, upstream: readonly StageResult[]): Promise<StageResult> {
    if (stage.frozen) return frozenStage(this.#cache, this.#options.workspace.root, stage, false);
    const waiting = upstream.filter((r) => r.status === "would-run").map((r) => r.id);
    const assumed = new Map(waiting.map((id) => [id, this.#options.assumedOutputs?.(id)]));
    const upstreamWouldRun = [`upstream ${waiting.join(", ")} would run`];
    if ([...assumed.values()].some((outs) => outs === undefined)) return plainResult(stage.id, "would-run", undefined, upstreamWouldRun);
    const known = resultDigests(upstream);
    const params = this.#options.params?.(stage) ?? stage.params;
    const keyed = await keyStage(this.#cache, this.#externals, stage, params, (id, out) => known(id, out) ?? assumed.get(id)?.[out]);
    if (!keyed.ok) return failedResult(stage.id, keyed.failure.reason, keyed.failure.message);
    this.components.set(stage.id, keyed.components);
    if (forcedToRun(this.#options.force ?? new Set(), stage)) return plainResult(stage.id, "would-run", keyed.key, ["forced"]);
    // An upstream that would run (its outputs assumed) makes this stage wait for it, whatever its own key finds.
    if (waiting.length > 0) return plainResult(stage.id, "would-run", keyed.key, upstreamWouldRun);
    const record = await lookUpHit(this.#lookup, stage, keyed.key);
    if (record) return previewHit(this.#lookup, stage, keyed.key, record);
    const why = (await this.#options.explain?.(stage, keyed.components)) ?? ["no run record for this key"];
    return plainResult(stage.id, "would-run", keyed.key, why);
  }
}
