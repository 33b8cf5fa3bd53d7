import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDag, topoOrder, withDownstream, withUpstream, type Dag } from "../../src/graph/index.js";
import type { Stage, StageId, Workspace } from "../../src/pipeline/index.js";

/** A random DAG: stage i may depend only on stages before it, so it is acyclic by construction. */
const dagArbitrary = fc.integer({ min: 1, max: 300 }).chain((size) =>
  fc.tuple(
    fc.constant(size),
    fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: size, maxLength: size }),
  ),
);

function makeDag([size, picks]: [number, number[][]]): Dag {
  const stages = new Map<StageId, Stage>();
  for (let i = 0; i < size; i++) {
    const upstream = i === 0 ? [] : [...new Set((picks[i] ?? []).map((p) => `p:s${p % i}` as StageId))].sort();
    stages.set(`p:s${i}` as StageId, { id: `p:s${i}`, upstream } as unknown as Stage);
  }
  return buildDag({ stages } as unknown as Workspace);
}

describe("graph properties", () => {
  it("plans every stage after all of its upstream stages, for any DAG up to 300 stages", () => {
    fc.assert(
      fc.property(dagArbitrary, (spec) => {
        const dag = makeDag(spec);
        const ordered = topoOrder(dag, new Set(dag.stages.keys()));
        expect(ordered.ok).toBe(true);
        if (!ordered.ok) return;
        const position = new Map(ordered.order.map((id, i) => [id, i]));
        expect(position.size).toBe(dag.stages.size);
        for (const [id, ups] of dag.upstream) for (const up of ups) expect(position.get(up)).toBeLessThan(position.get(id) as number);
      }),
      { numRuns: 200 },
    );
  });

  it("finds a real cycle when one edge closes a loop", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.nat(), (spec, pick) => {
        const dag = makeDag(spec);
        const ids = [...dag.stages.keys()];
        const target = ids[pick % ids.length] as StageId;
        const below = [...withDownstream(dag, [target])].filter((id) => id !== target);
        if (below.length === 0) return;
        const from = below[pick % below.length] as StageId;
        // target now also depends on something downstream of it: a cycle
        const upstream = new Map(dag.upstream);
        upstream.set(target, [...(upstream.get(target) ?? []), from]);
        const downstream = new Map(dag.downstream);
        downstream.set(from, [...(downstream.get(from) ?? []), target]);
        const cyclic: Dag = { stages: dag.stages, upstream, downstream };
        const ordered = topoOrder(cyclic, new Set(ids));
        expect(ordered.ok).toBe(false);
        if (ordered.ok) return;
        const cycle = ordered.cycle;
        expect(cycle[0]).toBe(cycle[cycle.length - 1]);
        for (let i = 0; i + 1 < cycle.length; i++) expect(upstream.get(cycle[i] as StageId)).toContain(cycle[i + 1]);
      }),
      { numRuns: 100 },
    );
  });

  it("selects exactly the stages a target reads from, transitively", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.nat(), (spec, pick) => {
        const dag = makeDag(spec);
        const ids = [...dag.stages.keys()];
        const target = ids[pick % ids.length] as StageId;
        const closure = withUpstream(dag, [target]);
        // every member is reachable downward to the target, and every upstream of a member is a member
        for (const id of closure) {
          expect(withDownstream(dag, [id]).has(target)).toBe(true);
          for (const up of dag.upstream.get(id) ?? []) expect(closure.has(up)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
