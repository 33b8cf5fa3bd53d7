import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseShardSpec, partitionShards, withUpstream, type Dag } from "../../src/graph/index.js";
import type { Stage, StageId } from "../../src/pipeline/index.js";

/** A DAG from `stage: [upstream...]`, in declaration order. */
function dagOf(edges: Record<string, string[]>): Dag {
  const stages = new Map<StageId, Stage>();
  const upstream = new Map<StageId, readonly StageId[]>();
  const downstream = new Map<StageId, StageId[]>();
  for (const [id, ups] of Object.entries(edges)) {
    stages.set(id as StageId, { id, upstream: ups } as unknown as Stage);
    upstream.set(id as StageId, [...ups].sort() as StageId[]);
    downstream.set(id as StageId, []);
  }
  for (const [id, ups] of Object.entries(edges)) for (const up of ups) downstream.get(up as StageId)?.push(id as StageId);
  for (const list of downstream.values()) list.sort();
  return { stages, upstream, downstream };
}

const all = (dag: Dag) => new Set(dag.stages.keys());
const weights = (w: Record<string, number>) => new Map(Object.entries(w)) as Map<StageId, number>;

describe("partitionShards", () => {
  it("puts independent projects whole on separate shards", () => {
    const dag = dagOf({ "a:1": [], "a:2": ["a:1"], "b:1": [], "b:2": ["b:1"] });
    const plan = partitionShards(dag, all(dag), 2, weights({}));
    expect(plan.shards.map((s) => s.stages)).toEqual([
      ["a:1", "a:2"],
      ["b:1", "b:2"],
    ]);
    expect(plan.makespanMs).toBe(2_000);
    expect(plan.totalMs).toBe(4_000);
  });

  it("balances by recorded durations, heaviest first", () => {
    const dag = dagOf({ a: [], b: [], c: [], d: [] });
    const plan = partitionShards(dag, all(dag), 2, weights({ a: 50, b: 30, c: 20, d: 10 }));
    expect(plan.shards.map((s) => [...s.stages].sort())).toEqual([["a", "d"], ["b", "c"]]);
    expect(plan.shards.map((s) => s.estimatedMs)).toEqual([60, 50]);
  });

  it("splits a fan-out when that shortens the slowest shard, carrying the shared upstream into each shard", () => {
    const dag = dagOf({ snap: [], t1: ["snap"], t2: ["snap"], t3: ["snap"] });
    const plan = partitionShards(dag, all(dag), 3, weights({ snap: 10, t1: 100, t2: 100, t3: 100 }));
    expect(plan.shards.map((s) => s.stages)).toEqual([
      ["snap", "t1"],
      ["snap", "t2"],
      ["snap", "t3"],
    ]);
    expect(plan.makespanMs).toBe(110);
  });

  it("keeps a fan-out together when splitting would mostly duplicate work, and never splits a chain", () => {
    const dag = dagOf({ snap: [], t1: ["snap"], t2: ["snap"] });
    const plan = partitionShards(dag, all(dag), 2, weights({ snap: 100, t1: 1, t2: 1 }));
    expect(plan.shards.map((s) => s.stages)).toEqual([["snap", "t1", "t2"], []]);
    const chain = dagOf({ a: [], b: ["a"], c: ["b"] });
    const chainPlan = partitionShards(chain, all(chain), 3, weights({}));
    expect(chainPlan.shards.map((s) => s.stages)).toEqual([["a", "b", "c"], [], []]);
  });

  it("gives empty shards when there are more shards than sinks", () => {
    const dag = dagOf({ a: [] });
    expect(partitionShards(dag, all(dag), 3, weights({})).shards.map((s) => s.stages)).toEqual([["a"], [], []]);
  });

  it("covers every stage, keeps every shard closed under upstream and ordered upstream first (any DAG)", () => {
    const arbitraryDag = fc
      .array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 14 })
      .map((lists) => {
        const edges: Record<string, string[]> = {};
        lists.forEach((ups, i) => (edges[`s${i}`] = i === 0 ? [] : [...new Set(ups.map((u) => `s${u % i}`))]));
        return edges;
      });
    fc.assert(
      fc.property(arbitraryDag, fc.integer({ min: 1, max: 5 }), fc.array(fc.nat({ max: 500 }), { maxLength: 14 }), (edges, count, ws) => {
        const dag = dagOf(edges);
        const w = new Map([...dag.stages.keys()].map((id, i) => [id, ws[i] ?? 7]));
        const plan = partitionShards(dag, all(dag), count, w);
        expect(plan.shards).toHaveLength(count);
        expect(new Set(plan.shards.flatMap((s) => s.stages))).toEqual(all(dag));
        for (const shard of plan.shards) {
          const members = new Set(shard.stages);
          expect(withUpstream(dag, shard.stages)).toEqual(members);
          shard.stages.forEach((id, i) => {
            for (const up of dag.upstream.get(id) ?? []) expect(shard.stages.indexOf(up)).toBeLessThan(i);
          });
        }
        // Never slower than one machine, and the same inputs give the same plan.
        expect(plan.makespanMs).toBeLessThanOrEqual(plan.totalMs);
        expect(partitionShards(dag, all(dag), count, w)).toEqual(plan);
      }),
      { numRuns: 200 },
    );
  });
});

describe("parseShardSpec", () => {
  it("reads i/N and refuses anything out of range", () => {
    expect(parseShardSpec("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShardSpec("0/4")).toBeUndefined();
    expect(parseShardSpec("5/4")).toBeUndefined();
    expect(parseShardSpec("two/4")).toBeUndefined();
  });
});
