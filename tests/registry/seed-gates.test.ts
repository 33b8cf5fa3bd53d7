/**
 * The seed's reference case for gated promotion: the gate set
 * {schema_valid, no_leakage, critical_slice_pass, cost_improves}. A failed
 * critical gate holds and leaves production untouched; all passing opens
 * the canary, never production.
 */
import { afterEach, describe, expect, it } from "vitest";
import { checkGates, decisionLabel, type Registry } from "../../src/registry/index.js";
import { signingKey } from "../signers.js";
import { candidate, LINEAGE, seedGates, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

/** A registry where eta_v1 is in production (approved and promoted), as in the seed. */
async function withProductionV1(): Promise<Registry> {
  ws = await tempWorkspace();
  const registry = await ws.open("alice");
  const v1 = await registry.submitCandidate({ candidate: await candidate(ws, { model: "delay_model_v1" }), lineage: LINEAGE, policy });
  expect(v1.ok && v1.value.release).toBe("eta_v1");
  const bob = await ws.open("bob");
  await bob.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("bob"));
  await bob.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "" }, signingKey("carol"));
  const promoted = await bob.promote(policy, { project: "eta", release: "eta_v1", alias: "production", expected: null, reason: "first release" });
  expect(promoted.ok).toBe(true);
  return registry;
}

describe("the seed's gate table", () => {
  it("labels decisions exactly as the seed prints them", () => {
    const required = policy.requiredGates;
    expect(decisionLabel(checkGates(required, seedGates(["critical_slice_pass"])))).toBe("hold:critical_slice_pass");
    expect(decisionLabel(checkGates(required, seedGates()))).toBe("canary_open");
  });

  it("holds on a failed critical gate and leaves production on eta_v1", async () => {
    const registry = await withProductionV1();
    const outcome = await registry.submitCandidate({
      candidate: await candidate(ws, { model: "delay_model_v2", gates: seedGates(["critical_slice_pass"]) }),
      lineage: LINEAGE,
      policy,
    });
    expect(outcome.ok && outcome.value).toMatchObject({ release: "eta_v2", decision: "hold", label: "hold:critical_slice_pass", failed: ["critical_slice_pass"] });
    const state = await registry.state();
    expect(state.aliasTarget("eta", "production")).toBe("eta_v1");
    expect(state.aliasTarget("eta", "canary")).toBeNull();
    expect(state.decisions("eta", "eta_v2").map((d) => [d.decision, d.failed])).toEqual([["hold", ["critical_slice_pass"]]]);
  });

  it("opens the canary on eta_v2 when every gate passes, production still eta_v1", async () => {
    const registry = await withProductionV1();
    const outcome = await registry.submitCandidate({ candidate: await candidate(ws, { model: "delay_model_v2" }), lineage: LINEAGE, policy });
    expect(outcome.ok && outcome.value).toMatchObject({ release: "eta_v2", decision: "canary_open", label: "canary_open", canary: { from: null, to: "eta_v2" } });
    const state = await registry.state();
    expect(state.aliasTarget("eta", "canary")).toBe("eta_v2");
    expect(state.aliasTarget("eta", "production")).toBe("eta_v1");
  });

  it("keeps the held candidate in history when a fixed one opens the canary", async () => {
    const registry = await withProductionV1();
    await registry.submitCandidate({ candidate: await candidate(ws, { model: "delay_model_v2", gates: seedGates(["critical_slice_pass"]) }), lineage: LINEAGE, policy });
    const fixed = await registry.submitCandidate({ candidate: await candidate(ws, { model: "delay_model_v2" }), lineage: LINEAGE, policy });
    expect(fixed.ok && fixed.value.release).toBe("eta_v3");
    const state = await registry.state();
    expect(state.releases("eta").map((r) => r.release)).toEqual(["eta_v1", "eta_v2", "eta_v3"]);
    expect(state.aliasTarget("eta", "canary")).toBe("eta_v3");
    expect(state.aliasTarget("eta", "production")).toBe("eta_v1");
  });

  it("counts a required gate with no artifact as failed", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    const partial = seedGates().filter((g) => g.name !== "no_leakage");
    const outcome = await registry.submitCandidate({ candidate: await candidate(ws, { gates: partial }), lineage: LINEAGE, policy });
    expect(outcome.ok && outcome.value.label).toBe("hold:no_leakage");
    expect((await registry.state()).aliasTarget("eta", "canary")).toBeNull();
  });

  it("names every failed gate, sorted", () => {
    const verdict = checkGates(policy.requiredGates, seedGates(["schema_valid", "critical_slice_pass", "cost_improves"]));
    expect(verdict.failed).toEqual(["cost_improves", "critical_slice_pass", "schema_valid"]);
  });
});
