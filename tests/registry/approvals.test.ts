/**
 * Production moves only by an explicit promotion with the approvals the
 * policy names; with separation of duties the release's creator cannot
 * approve it; a release whose gates failed never moves, whatever approvals.
 */
import { afterEach, describe, expect, it } from "vitest";
import { describeRefusal, type Registry } from "../../src/registry/index.js";
import { candidate, LINEAGE, seedGates, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

async function registered(gatesFailing: string[] = []): Promise<Registry> {
  ws = await tempWorkspace();
  const alice = await ws.open("alice");
  await alice.submitCandidate({ candidate: await candidate(ws, { gates: seedGates(gatesFailing) }), lineage: LINEAGE, policy });
  return alice;
}

const toProduction = { project: "eta", release: "eta_v1", alias: "production", expected: undefined, reason: "ship it" } as const;

describe("approvals", () => {
  it("refuses production without approvals, naming the missing roles", async () => {
    const alice = await registered();
    const refused = await alice.promote(policy, toProduction);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatchObject({ reason: "missing-approvals", missing: ["ml_lead", "risk"] });
    expect(describeRefusal(refused.error)).toContain("needs approval by role ml_lead, risk");
    expect((await alice.state()).aliasTarget("eta", "production")).toBeNull();
  });

  it("names only the role still missing", async () => {
    const alice = await registered();
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" });
    const refused = await alice.promote(policy, toProduction);
    expect(!refused.ok && refused.error).toMatchObject({ missing: ["risk"] });
  });

  it("does not count the creator's own approval under separation of duties", async () => {
    const alice = await registered();
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "alice", note: "" });
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "" });
    const refused = await alice.promote(policy, toProduction);
    expect(!refused.ok && refused.error).toMatchObject({ missing: ["ml_lead"], discounted: [{ role: "ml_lead", by: "alice" }] });
    if (!refused.ok) expect(describeRefusal(refused.error)).toContain("separation of duties");
  });

  it("promotes with every role approved by someone else, and clears the canary it graduated from", async () => {
    const alice = await registered();
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" });
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "" });
    const promoted = await alice.promote(policy, toProduction);
    expect(promoted.ok && promoted.value).toMatchObject({ from: null, to: "eta_v1" });
    const state = await alice.state();
    expect(state.aliasTarget("eta", "production")).toBe("eta_v1");
    expect(state.aliasTarget("eta", "canary")).toBeNull();
    expect(state.decisions("eta", "eta_v1").map((d) => d.decision)).toEqual(["canary_open", "promote"]);
  });

  it("never promotes a held release, whatever the approvals", async () => {
    const alice = await registered(["critical_slice_pass"]);
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" });
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "" });
    const refused = await alice.promote(policy, toProduction);
    expect(!refused.ok && refused.error).toMatchObject({ reason: "gates-failed", failed: ["critical_slice_pass"] });
  });

  it("rejects a role the policy does not name, and records a repeat approval once", async () => {
    const alice = await registered();
    const unknown = await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ceo", by: "bob", note: "" });
    expect(!unknown.ok && unknown.error.reason).toBe("unknown-role");
    const once = await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "" });
    const twice = await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "" });
    expect([once.ok && once.value.recorded, twice.ok && twice.value.recorded]).toEqual([true, false]);
  });
});
