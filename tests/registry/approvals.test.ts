/**
 * Production moves only by an explicit promotion with the approvals the
 * policy names, each signed by a key the role's allowed_signers lists; with
 * separation of duties the release's creator cannot approve it and one key
 * cannot stand for two roles; a release whose gates failed never moves,
 * whatever approvals.
 */
import { afterEach, describe, expect, it } from "vitest";
import { describeRefusal, type Registry } from "../../src/registry/index.js";
import { signingKey } from "../signers.js";
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
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("bob"));
    const refused = await alice.promote(policy, toProduction);
    expect(!refused.ok && refused.error).toMatchObject({ missing: ["risk"] });
  });

  it("does not count the creator's own approval under separation of duties", async () => {
    const alice = await registered();
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "alice", note: "" }, signingKey("alice"));
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "" }, signingKey("bob"));
    const refused = await alice.promote(policy, toProduction);
    expect(!refused.ok && refused.error).toMatchObject({ missing: ["ml_lead"], discounted: [{ role: "ml_lead", by: "alice" }] });
    if (!refused.ok) expect(describeRefusal(refused.error)).toContain("separation of duties");
  });

  it("promotes with every role approved by someone else, and clears the canary it graduated from", async () => {
    const alice = await registered();
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("bob"));
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "" }, signingKey("carol"));
    const promoted = await alice.promote(policy, toProduction);
    expect(promoted.ok && promoted.value).toMatchObject({ from: null, to: "eta_v1" });
    const state = await alice.state();
    expect(state.aliasTarget("eta", "production")).toBe("eta_v1");
    expect(state.aliasTarget("eta", "canary")).toBeNull();
    expect(state.decisions("eta", "eta_v1").map((d) => d.decision)).toEqual(["canary_open", "promote"]);
  });

  it("never promotes a held release, whatever the approvals", async () => {
    const alice = await registered(["critical_slice_pass"]);
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("bob"));
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "" }, signingKey("carol"));
    const refused = await alice.promote(policy, toProduction);
    expect(!refused.ok && refused.error).toMatchObject({ reason: "gates-failed", failed: ["critical_slice_pass"] });
  });

  it("rejects a role the policy does not name, and records a repeat approval once", async () => {
    const alice = await registered();
    const unknown = await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ceo", by: "bob", note: "" }, signingKey("bob"));
    expect(!unknown.ok && unknown.error.reason).toBe("unknown-role");
    const once = await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "" }, signingKey("bob"));
    const twice = await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "" }, signingKey("bob"));
    expect([once.ok && once.value.recorded, twice.ok && twice.value.recorded]).toEqual([true, false]);
  });

  it("refuses an approval typed as someone else but signed with a key no allowed_signers file lists, and records nothing", async () => {
    const alice = await registered();
    const before = (await alice.state()).events.length;
    const refused = await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("mallory"));
    expect(!refused.ok && refused.error).toMatchObject({ reason: "approval-not-verified", role: "ml_lead", by: "bob" });
    if (!refused.ok) expect(describeRefusal(refused.error)).toMatch(/key SHA256:\S+ is not an allowed signer in contracts\/allowed_signers\/ml_lead/);
    expect((await alice.state()).events.length).toBe(before);
  });

  it("does not let one key approve two roles under separation of duties, whatever names are typed", async () => {
    const alice = await registered();
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("bob"));
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "" }, signingKey("bob"));
    const refused = await alice.promote(policy, toProduction);
    expect(!refused.ok && refused.error).toMatchObject({ reason: "missing-approvals", missing: ["risk"], discounted: [{ role: "risk", by: "carol" }] });
    if (!refused.ok) expect(describeRefusal(refused.error)).toMatch(/risk by carol: key SHA256:\S+ already counts for ml_lead \(separation of duties: one key, one role\)/);
    // The real carol signing settles it.
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "" }, signingKey("carol"));
    expect((await alice.promote(policy, toProduction)).ok).toBe(true);
  });

  it("finds the assignment of keys to roles that covers every role when one exists", async () => {
    const alice = await registered();
    // bob approved both roles; carol only ml_lead: bob must stand for risk, carol for ml_lead.
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("bob"));
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "" }, signingKey("bob"));
    await alice.approve(policy, { project: "eta", release: "eta_v1", role: "ml_lead", by: "carol", note: "" }, signingKey("carol"));
    expect((await alice.promote(policy, toProduction)).ok).toBe(true);
  });

  it("refuses approvals under a policy that names no allowed signers, saying how to add an allowed_signers file", async () => {
    const alice = await registered();
    const { allowedSigners: _named, ...unsigned } = policy;
    const approve = await alice.approve(unsigned, { project: "eta", release: "eta_v1", role: "ml_lead", by: "bob", note: "" }, signingKey("bob"));
    const promote = await alice.promote(unsigned, toProduction);
    for (const refused of [approve, promote]) {
      expect(!refused.ok && refused.error).toMatchObject({ reason: "no-signers", role: "ml_lead" });
      if (!refused.ok) {
        expect(describeRefusal(refused.error)).toMatch(/names no allowed signers for role ml_lead of eta: .*allowed_signers file .*projects\.eta\.allowedSigners\.ml_lead/);
      }
    }
  });
});
