/**
 * Splits the stages of a run into N CI shards that can run at the same time
 * on separate machines.
 *
 * Every shard is closed under upstream: it holds each stage it runs together
 * with everything that stage reads from, so a shard never waits on another.
 * A stage two shards both need is listed in both; whichever gets there second
 * restores it from the shared remote cache (or builds the same bytes, since
 * outputs are content-addressed), so the duplication costs time, never
 * correctness.
 *
 * The units of assignment are the sinks of the selected graph (stages
 * nothing selected reads from), each with its upstream closure. Sinks are
 * placed heaviest first, each on the shard whose estimated time grows least
 * counting only the stages that shard does not already hold (LPT scheduling,
 * aware of shared upstream). Independent projects therefore land whole on
 * separate shards, and a fan-out is split only when that shortens the
 * slowest shard.
 */
import type { StageId } from "../pipeline/index.js";
import { topoOrder, withUpstream, type Dag } from "./dag.js";

/** One shard of a plan. */
export interface Shard {
  /** 1-based, as `--shard i/N` names it. */
  readonly index: number;
  /** The stages this shard runs, upstream first. */
  readonly stages: readonly StageId[];
  /** Sum of the estimated durations of `stages`, in milliseconds. */
  readonly estimatedMs: number;
}

export interface ShardPlan {
  readonly count: number;
  readonly shards: readonly Shard[];
  /** Estimated time of the whole selection on one machine (each stage once). */
  readonly totalMs: number;
  /** Estimated time of the slowest shard: the wall time of the sharded build. */
  readonly makespanMs: number;
}

/**
 * Partitions `selected` (an upstream-closed set, as `selectTargets` returns)
 * into `count` shards. `weights` gives each stage's expected duration; a
 * stage without one counts as `fallbackMs`. Deterministic: the same inputs
 * give the same plan in every process.
 */
export function partitionShards(
  dag: Dag,
  selected: ReadonlySet<StageId>,
  count: number,
  weights: ReadonlyMap<StageId, number>,
  fallbackMs = 1_000,
): ShardPlan {
  if (!Number.isInteger(count) || count < 1) throw new Error(`shard count must be a positive integer (got ${count})`);
  const weight = (id: StageId) => Math.max(0, weights.get(id) ?? fallbackMs);
  const sum = (ids: Iterable<StageId>) => {
    let total = 0;
    for (const id of ids) total += weight(id);
    return total;
  };

  const sinks = [...selected].filter((id) => !(dag.downstream.get(id) ?? []).some((d) => selected.has(d)));
  const units = sinks.map((sink) => {
    const closure = [...withUpstream(dag, [sink])].filter((id) => selected.has(id));
    return { sink, closure, weight: sum(closure) };
  });
  // Heaviest first; ties by id so every process builds the same plan.
  units.sort((a, b) => b.weight - a.weight || (a.sink < b.sink ? -1 : a.sink > b.sink ? 1 : 0));

  const held = Array.from({ length: count }, () => new Set<StageId>());
  const load = Array.from({ length: count }, () => 0);
  const placed = new Set<StageId>();
  for (const unit of units) {
    let best = 0;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const shard = held[i] as Set<StageId>;
      const added = unit.closure.filter((id) => !shard.has(id));
      // A stage another shard already runs is paid for twice in machine time:
      // count it again, so a split must shorten the slowest shard by more
      // than the work it duplicates.
      const score = (load[i] as number) + sum(added) + sum(added.filter((id) => placed.has(id)));
      if (score < bestScore) {
        best = i;
        bestScore = score;
      }
    }
    const shard = held[best] as Set<StageId>;
    load[best] = (load[best] as number) + sum(unit.closure.filter((id) => !shard.has(id)));
    for (const id of unit.closure) {
      shard.add(id);
      placed.add(id);
    }
  }

  const shards = held.map((stages, i): Shard => {
    // Declaration order in, so ties in the topological order read like the pipeline file.
    const ordered = topoOrder(dag, new Set([...dag.stages.keys()].filter((id) => stages.has(id))));
    if (!ordered.ok) throw new Error(`cycle: ${ordered.cycle.join(" -> ")}`); // validated before planning
    return { index: i + 1, stages: ordered.order, estimatedMs: load[i] as number };
  });
  return { count, shards, totalMs: sum(selected), makespanMs: Math.max(0, ...load) };
}

/** Parses `i/N` (1 <= i <= N); undefined when malformed. */
export function parseShardSpec(spec: string): { index: number; count: number } | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}
