/**
 * End to end through the CLI: a failed or missing gate never moves an
 * alias. The promote stage reports `held` with the failed gates, exits 3
 * under --fail-on-hold, and production stays where it was; passing gates
 * open the canary and nothing else; production needs the policy's approvals.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace, statuses, withStatus, type RunJson } from "./rig.js";
import { sluice, sluiceJson } from "./registry/cli.js";
import { approverFor } from "./signers.js";
import { releaseWorkspace, type GateVerdicts } from "./registry/fixtures/release-workspace.js";

const PASS: GateVerdicts = { schema_valid: true, no_leakage: true, critical_slice_pass: true, cost_improves: true };
const FAIL_CRITICAL: GateVerdicts = { ...PASS, critical_slice_pass: false };

let ws: Workspace;
afterEach(() => ws?.dispose());

const setParams = (gates: GateVerdicts, weights: string, warning = 0.5) =>
  ws.write("projects/eta/params.json", JSON.stringify({ gates, warning, weights }));
const run = (...args: string[]) => sluiceJson<RunJson>(ws.root, ["run", ...args]);

async function approveAndPromote(release: string): Promise<void> {
  for (const role of ["ml_lead", "risk"]) expect((await sluice(ws.root, ["approve", "eta", release, "--role", role], approverFor(role))).code).toBe(0);
  const promoted = await sluice(ws.root, ["promote", "eta", release, "--to", "production", "--reason", "approved"], "bob");
  expect(promoted.code, promoted.stderr).toBe(0);
}

describe("a failed gate never promotes", () => {
  it("holds on critical_slice_pass, moves nothing, and exits 3 with --fail-on-hold", async () => {
    ws = new Workspace(releaseWorkspace({ gates: FAIL_CRITICAL, warning: 0.5, weights: "w1" }));
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    expect(statuses(first.json)["eta:promote"]).toBe("held");
    expect(first.json.decisions).toEqual([expect.objectContaining({ project: "eta", release: "eta_v1", decision: "hold", failed: ["critical_slice_pass"] })]);
    expect(ws.exists("registry/eta/canary.json")).toBe(false);
    expect(ws.exists("registry/eta/production.json")).toBe(false);

    const again = await sluice(ws.root, ["run", "--fail-on-hold"]);
    expect(again.code).toBe(3);
    expect(ws.read("registry/releases.jsonl").trim().split("\n")).toHaveLength(2); // registered + hold, once

    // No approval can move a held release.
    for (const role of ["ml_lead", "risk"]) await sluice(ws.root, ["approve", "eta", "eta_v1", "--role", role], approverFor(role));
    const forced = await sluiceJson(ws.root, ["promote", "eta", "eta_v1", "--to", "production"], "bob");
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain("eta_v1 did not pass its gates (failed: critical_slice_pass)");
    expect(ws.exists("registry/eta/production.json")).toBe(false);
  });

  it("replays the seed story: v1 live, v2 held with production untouched, v3 opens the canary", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    const v1 = await run();
    expect(v1.json.decisions).toEqual([expect.objectContaining({ release: "eta_v1", decision: "canary_open" })]);
    expect(JSON.parse(ws.read("registry/eta/canary.json")).release).toBe("eta_v1");
    const noop = await run();
    expect(withStatus(noop.json, "ran")).toEqual([]);
    expect(withStatus(noop.json, "held")).toEqual([]);
    await approveAndPromote("eta_v1");
    const production = ws.read("registry/eta/production.json");

    // The champion moved: the evaluation reruns, but v1 re-evaluated against itself is not a new release.
    const reevaluated = await run();
    expect(withStatus(reevaluated.json, "ran")).toEqual(["eta:evaluate", "eta:promote"]);
    expect(reevaluated.json.decisions).toEqual([expect.objectContaining({ release: "eta_v1", decision: "canary_open", replayed: true })]);

    setParams(FAIL_CRITICAL, "w2");
    const v2 = await run();
    expect(v2.json.decisions).toEqual([expect.objectContaining({ release: "eta_v2", decision: "hold", failed: ["critical_slice_pass"] })]);
    expect(statuses(v2.json)).toMatchObject({ "eta:train": "ran", "eta:evaluate": "ran", "eta:promote": "held", "eta:snapshot": "cached" });
    expect(ws.read("registry/eta/production.json")).toBe(production);

    setParams(PASS, "w3");
    const v3 = await run();
    expect(v3.json.decisions).toEqual([expect.objectContaining({ release: "eta_v3", decision: "canary_open" })]);
    expect(JSON.parse(ws.read("registry/eta/canary.json")).release).toBe("eta_v3");
    expect(ws.read("registry/eta/production.json")).toBe(production);

    const list = await sluiceJson<{ releases: { release: string; decision: string; aliases: string[] }[] }>(ws.root, ["registry", "list", "eta"]);
    expect(list.json.releases.map((r) => [r.release, r.decision, r.aliases])).toEqual([
      ["eta_v1", "promote", ["production"]],
      ["eta_v2", "hold", []],
      ["eta_v3", "canary_open", ["canary"]],
    ]);
  });

  it("refuses production without approvals, naming the missing role", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    await run();
    await sluice(ws.root, ["approve", "eta", "eta_v1", "--role", "ml_lead", "--by", "bob"], "bob");
    const refused = await sluiceJson<{ ok: boolean; error: { reason: string; missing: string[] } }>(ws.root, ["promote", "eta", "eta_v1", "--to", "production"], "bob");
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ ok: false, error: { reason: "missing-approvals", missing: ["risk"] } });
    expect(refused.stderr).toContain("needs approval by role risk");
    // One role missing: the hint is the command to run, role filled in.
    expect(refused.stderr).toContain("run `sluice approve eta eta_v1 --role risk`");
    expect(ws.exists("registry/eta/production.json")).toBe(false);

    // The creator (alice) approving her own release does not count.
    await sluice(ws.root, ["approve", "eta", "eta_v1", "--role", "risk"], "alice");
    const self = await sluice(ws.root, ["promote", "eta", "eta_v1", "--to", "production"], "alice");
    expect(self.code).toBe(1);
    expect(self.stderr).toContain("separation of duties");
  });

  it("fails the promote stage with the contract error when a gate artifact is malformed", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    ws.write("projects/eta/manual-gate.json", JSON.stringify({ name: "manual_review", passed: "yes", value: 1, threshold: 1, critical: false, evidence: {} }));
    const failed = await run();
    expect(failed.code).toBe(1);
    expect(statuses(failed.json)["eta:promote"]).toBe("failed");
    expect(failed.stderr).toMatch(/gate_manual breaks its contract: passed: .*boolean/);
    expect(ws.exists("registry/releases.jsonl")).toBe(false);
  });

  it("refuses a stale compare-and-swap with both values named", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    await run();
    for (const role of ["ml_lead", "risk"]) await sluice(ws.root, ["approve", "eta", "eta_v1", "--role", role], approverFor(role));
    const log = readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8");
    const stale = await sluice(ws.root, ["promote", "eta", "eta_v1", "--to", "production", "--expect", "eta_v7"], "bob");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("eta@production moved: expected eta_v7 but it now holds nothing");
    expect(readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8")).toBe(log);
    writeFileSync(join(ws.root, "unused"), ""); // keep the workspace busy-free; nothing else to assert
  });
});
