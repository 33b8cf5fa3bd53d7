/**
 * The stage graph: edges from each stage to the stages it reads from.
 * Planning is O(V + E); nothing here depends on the total stage count per stage.
 */
import type { Stage, StageId, Workspace } from "../pipeline/index.js";

/** Adjacency in both directions, built once per load. */
export interface Dag {
  readonly stages: ReadonlyMap<StageId, Stage>;
  /** Stage -> the stages it depends on (sorted). */
  readonly upstream: ReadonlyMap<StageId, readonly StageId[]>;
  /** Stage -> the stages that depend on it (sorted). */
  readonly downstream: ReadonlyMap<StageId, readonly StageId[]>;
}

export function buildDag(workspace: Workspace): Dag {
  const upstream = new Map<StageId, readonly StageId[]>();
  const downstream = new Map<StageId, StageId[]>();
  for (const stage of workspace.stages.values()) {
    upstream.set(stage.id, stage.upstream);
    downstream.set(stage.id, []);
  }
  for (const stage of workspace.stages.values()) {
    for (const dep of stage.upstream) downstream.get(dep)?.push(stage.id);
  }
  for (const list of downstream.values()) list.sort();
  return { stages: workspace.stages, upstream, downstream };
}

/**
 * Topological order of `subset` (upstream first), ties broken by declaration
 * order; or the stages of one cycle when there is one.
 */
export function topoOrder(dag: Dag, subset: ReadonlySet<StageId>): { ok: true; order: StageId[] } | { ok: false; cycle: StageId[] } {
  const indegree = new Map<StageId, number>();
  for (const id of subset) {
    indegree.set(id, (dag.upstream.get(id) ?? []).filter((u) => subset.has(u)).length);
  }
  const ready: StageId[] = [...subset].filter((id) => indegree.get(id) === 0);
  const order: StageId[] = [];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i] as StageId;
    order.push(id);
    for (const next of dag.downstream.get(id) ?? []) {
      if (!subset.has(next)) continue;
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length === subset.size) return { ok: true, order };
  const done = new Set(order);
  return { ok: false, cycle: findCycle(dag, new Set([...subset].filter((id) => !done.has(id)))) };
}

/** One cycle among `stuck` (stages left with unmet deps), for the error message. */
function findCycle(dag: Dag, stuck: ReadonlySet<StageId>): StageId[] {
  const start = [...stuck].sort()[0];
  if (!start) return [];
  const path: StageId[] = [];
  const onPath = new Map<StageId, number>();
  let current: StageId | undefined = start;
  while (current && !onPath.has(current)) {
    onPath.set(current, path.length);
    path.push(current);
    current = (dag.upstream.get(current) ?? []).find((u) => stuck.has(u));
  }
  if (!current) return path;
  return [...path.slice(onPath.get(current)), current];
}

/** `roots` and everything they read from, transitively. */
export function withUpstream(dag: Dag, roots: Iterable<StageId>): Set<StageId> {
  return closure(dag.upstream, roots);
}

/** `roots` and everything that reads from them, transitively. */
export function withDownstream(dag: Dag, roots: Iterable<StageId>): Set<StageId> {
  return closure(dag.downstream, roots);
}

function closure(edges: ReadonlyMap<StageId, readonly StageId[]>, roots: Iterable<StageId>): Set<StageId> {
  const seen = new Set<StageId>();
  const pending = [...roots];
  while (pending.length > 0) {
    const id = pending.pop() as StageId;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of edges.get(id) ?? []) if (!seen.has(next)) pending.push(next);
  }
  return seen;
}
