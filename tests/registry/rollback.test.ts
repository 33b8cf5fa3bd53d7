/**
 * Rollback re-points production at the previous known-good release and
 * rewrites the alias file with that release's whole manifest: the action
 * policy thresholds come back, not only the model digest.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeRefusal, type Registry } from "../../src/registry/index.js";
import { approverFor, signingKey } from "../signers.js";
import { candidate, LINEAGE, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

async function ship(registry: Registry, model: string, warning: number): Promise<string> {
  const submitted = await registry.submitCandidate({ candidate: await candidate(ws, { model, thresholds: { warning } }), lineage: LINEAGE, policy });
  if (!submitted.ok) throw new Error(describeRefusal(submitted.error));
  const release = submitted.value.release;
  for (const role of ["ml_lead", "risk"]) await registry.approve(policy, { project: "eta", release, role, by: approverFor(role), note: "" }, signingKey(approverFor(role)));
  const promoted = await registry.promote(policy, { project: "eta", release, alias: "production", expected: undefined, reason: "ship" });
  if (!promoted.ok) throw new Error(describeRefusal(promoted.error));
  return release;
}

const productionFile = () => JSON.parse(readFileSync(join(ws.root, "registry", "eta", "production.json"), "utf8"));

describe("rollback", () => {
  it("restores the previous release's whole manifest, thresholds included", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open("alice");
    await ship(registry, "weights v1", 0.5);
    const v1Manifest = productionFile().manifest;
    await ship(registry, "weights v2", 0.3);
    expect(productionFile().manifest.actionPolicy.thresholds).toEqual({ warning: 0.3 });

    const rolled = await registry.rollback({ project: "eta", reason: "stale warning spike" });
    expect(rolled.ok && rolled.value).toMatchObject({ from: "eta_v2", to: "eta_v1" });
    const restored = productionFile();
    expect(restored.release).toBe("eta_v1");
    expect(restored.manifest).toEqual(v1Manifest);
    expect(restored.manifest.actionPolicy.thresholds).toEqual({ warning: 0.5 });
    expect(restored.manifest.monitorPolicy.criteria.slo.floor).toBe(0.8);
    expect(restored).toMatchObject({ cause: "rollback", reason: "stale warning spike" });
  });

  it("refuses when there is no earlier release, registry untouched", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await ship(registry, "weights v1", 0.5);
    const before = readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8");
    const refused = await registry.rollback({ project: "eta", reason: "panic" });
    expect(!refused.ok && describeRefusal(refused.error)).toBe("eta@production has no earlier known-good release to roll back to (it holds eta_v1)");
    expect(readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8")).toBe(before);
  });

  it("skips a release that was rolled back from (known-bad)", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await ship(registry, "weights v1", 0.5);
    await ship(registry, "weights v2", 0.4);
    await registry.rollback({ project: "eta", reason: "v2 bad" });
    await ship(registry, "weights v3", 0.3);
    const rolled = await registry.rollback({ project: "eta", reason: "v3 bad" });
    expect(rolled.ok && rolled.value.to).toBe("eta_v1");
    const toBad = await registry.rollback({ project: "eta", to: "eta_v2", reason: "try v2" });
    expect(!toBad.ok && toBad.error.reason).toBe("not-known-good");
  });

  it("rolls back to a named earlier release", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await ship(registry, "weights v1", 0.5);
    await ship(registry, "weights v2", 0.4);
    await ship(registry, "weights v3", 0.3);
    const rolled = await registry.rollback({ project: "eta", to: "eta_v1", reason: "back to basics" });
    expect(rolled.ok && rolled.value).toMatchObject({ from: "eta_v3", to: "eta_v1" });
    const state = await registry.state();
    expect(state.rollbacks("eta").map((r) => [r.from, r.to, r.reason])).toEqual([["eta_v3", "eta_v1", "back to basics"]]);
  });
});
