/**
 * What monitoring builds on: decisions recorded once per idempotency key,
 * planners applied as one transaction, and a policy file that breaks its
 * contract named by field.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeRefusal, loadProjectPolicy, planMove } from "../../src/registry/index.js";
import { ok } from "../../src/util/result.js";
import { candidate, LINEAGE, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const pause = {
  type: "decision" as const,
  project: "eta",
  decision: "pause" as const,
  release: null,
  failed: [],
  reason: "120 of 500 labels",
  evidence: { windows: ["w1", "w2"] },
  key: "eta:w1-w2",
};

describe("decisions and policy", () => {
  it("records a decision with a key once, however often it is replayed", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open("monitor");
    expect(await registry.decide(pause)).toEqual({ recorded: true });
    expect(await registry.decide(pause)).toEqual({ recorded: false });
    expect((await registry.state()).decisions("eta").map((d) => [d.decision, d.actor])).toEqual([["pause", "monitor"]]);
  });

  it("applies a composed plan atomically, or nothing when any step refuses", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await registry.register(await candidate(ws), LINEAGE);
    const both = await registry.apply((state) => {
      const production = planMove(state, { project: "eta", alias: "production", to: "eta_v1", expected: null, cause: "promote", reason: "canary passed" });
      if (!production.ok) return production;
      const canary = planMove(state, { project: "eta", alias: "canary", to: "eta_v1", expected: "eta_v9", cause: "manual", reason: "stale on purpose" });
      if (!canary.ok) return canary;
      return ok({ drafts: [...production.value.drafts, ...canary.value.drafts], value: "moved" });
    });
    expect(!both.ok && describeRefusal(both.error)).toBe("eta@canary moved: expected eta_v9 but it now holds nothing; nothing was changed");
    expect((await registry.state()).aliasTarget("eta", "production")).toBeNull();
  });

  it("names the field of a policy that breaks its contract, and a project it lacks", async () => {
    ws = await tempWorkspace();
    const broken = seedPolicy() as unknown as { projects: { eta: { championChallenger: { margin: unknown } } } };
    broken.projects.eta.championChallenger.margin = -1;
    writeFileSync(join(ws.root, "contracts", "promotion_policy.json"), JSON.stringify(broken));
    const loaded = await loadProjectPolicy(ws.root, "eta");
    expect(!loaded.ok && describeRefusal(loaded.error)).toMatch(/^contracts\/promotion_policy\.json: projects\.eta\.championChallenger\.margin: /);

    writeFileSync(join(ws.root, "contracts", "promotion_policy.json"), JSON.stringify(seedPolicy()));
    const missing = await loadProjectPolicy(ws.root, "vision");
    expect(!missing.ok && describeRefusal(missing.error)).toBe('contracts/promotion_policy.json has no policy for project "vision"');
  });
});
