/**
 * Lineage traces a live alias back to data, features, model, policy, gate
 * evidence, the evaluation report, approvals and the events that moved it.
 * The alias dep an evaluation declares changes exactly when the alias moves.
 */
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, cliEnv } from "../rig.js";
import { aliasManifestDigest, championMetrics, traceLineage } from "../../src/registry/index.js";
import { approverFor, signingKey } from "../signers.js";
import { candidate, LINEAGE, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

describe("lineage", () => {
  it("traces production back to every artifact, approval and move", async () => {
    ws = await tempWorkspace();
    const alice = await ws.open("alice");
    const tuple = await candidate(ws, { metrics: { auc: 0.842 } });
    await alice.submitCandidate({ candidate: tuple, lineage: LINEAGE, policy });
    for (const role of ["ml_lead", "risk"]) await alice.approve(policy, { project: "eta", release: "eta_v1", role, by: approverFor(role), note: "ok" }, signingKey(approverFor(role)));
    await alice.promote(policy, { project: "eta", release: "eta_v1", alias: "production", expected: null, reason: "first" });

    const traced = traceLineage(await alice.state(), "eta", "@production");
    expect(traced.ok).toBe(true);
    if (!traced.ok) return;
    const lineage = traced.value;
    expect(lineage).toMatchObject({ release: "eta_v1", liveAs: ["production"], model: tuple.model, data: tuple.data, features: tuple.features });
    expect(lineage.actionPolicy.thresholds).toEqual({ warning: 0.5 });
    expect(lineage.evaluation.reportDigest).toBe(tuple.evaluation.reportDigest);
    expect(lineage.build).toMatchObject({ stageKeys: { "eta:train": "k1" }, createdBy: "alice" });
    expect(lineage.approvals.map((a) => [a.role, a.by])).toEqual([["ml_lead", "bob"], ["risk", "carol"]]);
    expect(lineage.events.map((e) => e.type)).toEqual([
      "release_registered", "decision", "alias_moved", "approval", "approval", "decision", "alias_moved", "alias_moved",
    ]);
  });

  it("says which alias is unset", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await registry.register(await candidate(ws), LINEAGE);
    const traced = traceLineage(await registry.state(), "eta", "@production");
    expect(!traced.ok && traced.error).toMatchObject({ reason: "unknown-alias", alias: "production" });
  });

  it("without a ref shows the canary while nothing reached production, says so, and shows production once it is set", async () => {
    ws = await tempWorkspace();
    const alice = await ws.open("alice");
    await alice.submitCandidate({ candidate: await candidate(ws, { metrics: { auc: 0.842 } }), lineage: LINEAGE, policy });
    const lineage = () => spawnSync(process.execPath, [BIN, "lineage", "eta"], { cwd: ws.root, env: cliEnv(), encoding: "utf8" });

    const canary = lineage();
    expect(canary.status, canary.stderr).toBe(0);
    expect(canary.stdout).toMatch(/^eta @canary -> eta_v1 .*\(live as canary\)/);
    expect(canary.stderr).toContain("eta@production points at no release yet: showing eta@canary");

    for (const role of ["ml_lead", "risk"]) await alice.approve(policy, { project: "eta", release: "eta_v1", role, by: approverFor(role), note: "ok" }, signingKey(approverFor(role)));
    await alice.promote(policy, { project: "eta", release: "eta_v1", alias: "production", expected: null, reason: "first" });
    const production = lineage();
    expect(production.status, production.stderr).toBe(0);
    expect(production.stdout).toMatch(/^eta @production -> eta_v1 /);
    expect(production.stderr).toBe("");
  });

  it("gives evaluations the champion's manifest digest and metrics, changing when production moves", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open("alice");
    expect(await aliasManifestDigest(ws.root, "eta", "production")).toBeNull();
    expect(await championMetrics(ws.root, null)).toBeNull();
    await registry.submitCandidate({ candidate: await candidate(ws, { metrics: { auc: 0.842 } }), lineage: LINEAGE, policy });
    for (const role of ["ml_lead", "risk"]) await registry.approve(policy, { project: "eta", release: "eta_v1", role, by: approverFor(role), note: "" }, signingKey(approverFor(role)));
    await registry.promote(policy, { project: "eta", release: "eta_v1", alias: "production", expected: null, reason: "first" });
    const digest = await aliasManifestDigest(ws.root, "eta", "production");
    expect(digest).toBe((await registry.state()).release("eta", "eta_v1")!.manifestDigest);
    expect(await championMetrics(ws.root, digest)).toEqual({ release: "eta_v1", metrics: { auc: 0.842 } });
  });
});
