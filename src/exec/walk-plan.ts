/**
 * The schedule both the planner and the build follow: every selected stage
 * starts as soon as its upstream results are in (in topological order,
 * without waiting for unrelated stages), is skipped when an upstream failed
 * or the run stopped, and otherwise is handed to the caller's `visit`.
 *
 *   upstream settled -> blocked? skipped -> stopped? skipped -> visit -> settle
 */
import type { StageKey } from "../cache/index.js";
import type { Dag } from "../graph/index.js";
import { topoOrder, withUpstream } from "../graph/index.js";
import type { Stage, StageId, Workspace } from "../pipeline/index.js";
import type { BuildObserver, StageResult } from "./events.js";
import { skippedResult } from "./stage-results.js";
import type { StopState } from "./stop-state.js";

/** What the walk needs to know of the build. */
export interface WalkOptions {
  readonly workspace: Workspace;
  readonly dag: Dag;
  /** The stages to plan (targets plus upstream). */
  readonly selected: ReadonlySet<StageId>;
  readonly observer: BuildObserver;
  readonly stop: StopState;
}

/** Decides one stage whose selected upstream stages have all settled (none failed or skipped). */
export type VisitStage = (stage: Stage, upstream: readonly StageResult[]) => Promise<StageResult>;

/** Results settled so far, by stage: how a stage learns the keys of everything upstream of it. */
export class Settled {
  readonly #results = new Map<StageId, StageResult>();
  readonly #dag: Dag;

  constructor(dag: Dag) {
    this.#dag = dag;
  }

  add(result: StageResult): void {
    this.#results.set(result.id, result);
  }

  /** Keys of every planned stage upstream of `stage`, transitively; all of them have settled by the time it runs. */
  upstreamKeys(stage: Stage): Record<string, StageKey> {
    const keys: Record<string, StageKey> = {};
    for (const id of withUpstream(this.#dag, stage.upstream)) {
      const key = this.#results.get(id)?.key;
      if (key) keys[id] = key;
    }
    return keys;
  }
}

/** Walks the plan; returns the results in plan order. */
export async function walkPlan(options: WalkOptions, settled: Settled, visit: VisitStage): Promise<readonly StageResult[]> {
  const ordered = topoOrder(options.dag, options.selected);
  if (!ordered.ok) throw new Error(`cycle: ${ordered.cycle.join(" -> ")}`); // validated before
  const plan = ordered.order;
  options.observer.onPlan?.(plan);
  const pending = new Map<StageId, Promise<StageResult>>();
  const settle = (result: StageResult): StageResult => {
    settled.add(result);
    options.stop.note(result);
    options.observer.onResult?.(result);
    return result;
  };
  const step = async (stage: Stage): Promise<StageResult> => {
    const upstream = await Promise.all(stage.upstream.filter((id) => options.selected.has(id)).map((id) => pending.get(id) as Promise<StageResult>));
    const blocked = upstream.find((r) => r.status === "failed" || r.status === "skipped" || r.status === "interrupted");
    if (blocked) return settle(skippedResult(stage.id, [`upstream ${blocked.id} ${blocked.status}`]));
    const stopped = options.stop.why;
    if (stopped) return settle(skippedResult(stage.id, [stopped]));
    return settle(await visit(stage, upstream));
  };
  for (const id of plan) pending.set(id, step(options.workspace.stages.get(id) as Stage));
  return Promise.all(plan.map((id) => pending.get(id) as Promise<StageResult>));
}
