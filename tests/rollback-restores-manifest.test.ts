/**
 * End to end through the CLI: rollback re-points production at the
 * previous known-good release and rewrites its alias file with that
 * release's whole manifest (thresholds included), without rerunning a
 * stage; verify checks the chain and names a tampered line.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Workspace, withStatus, type RunJson } from "./rig.js";
import { sluice, sluiceJson } from "./registry/cli.js";
import { approverFor } from "./signers.js";
import { releaseWorkspace } from "./registry/fixtures/release-workspace.js";

const PASS = { schema_valid: true, no_leakage: true, critical_slice_pass: true, cost_improves: true };
let ws: Workspace;
afterEach(() => ws?.dispose());

async function ship(weights: string, warning: number): Promise<string> {
  ws.write("projects/eta/params.json", JSON.stringify({ gates: PASS, warning, weights }));
  const ran = await sluiceJson<RunJson>(ws.root, ["run"]);
  const release = String(ran.json.decisions[0]?.["release"]);
  for (const role of ["ml_lead", "risk"]) await sluice(ws.root, ["approve", "eta", release, "--role", role], approverFor(role));
  const promoted = await sluice(ws.root, ["promote", "eta", release, "--to", "production"], "bob");
  expect(promoted.code, promoted.stderr).toBe(0);
  return release;
}

const production = () => JSON.parse(ws.read("registry/eta/production.json"));

describe("rollback restores the manifest", () => {
  it("restores the previous release's whole manifest, policy thresholds included, with no stage rerun", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    await ship("w1", 0.5);
    const v1 = production().manifest;
    await ship("w2", 0.3);
    expect(production().manifest.actionPolicy.thresholds).toEqual({ warning: 0.3 });
    const runsBefore = (await sluiceJson<{ runs: unknown[] }>(ws.root, ["runs"])).json.runs.length;

    const rolled = await sluiceJson(ws.root, ["rollback", "eta", "--reason", "stale warning spike"], "carol");
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.json).toMatchObject({ ok: true, from: "eta_v2", to: "eta_v1" });
    const restored = production();
    expect(restored.release).toBe("eta_v1");
    expect(restored.manifest).toEqual(v1);
    expect(restored.manifest.actionPolicy.thresholds).toEqual({ warning: 0.5 });
    expect(restored.manifest.model.digest).toBe(v1.model.digest);
    expect(restored.manifest.monitorPolicy).toEqual(v1.monitorPolicy);
    expect((await sluiceJson<{ runs: unknown[] }>(ws.root, ["runs"])).json.runs.length).toBe(runsBefore);

    const history = await sluiceJson<{ moves: { from: string | null; to: string; actor: string; cause: string; reason: string }[] }>(ws.root, ["registry", "history", "eta", "production"]);
    expect(history.json.moves.map((m) => [m.from, m.to, m.actor, m.cause])).toEqual([
      [null, "eta_v1", "bob", "promote"],
      ["eta_v1", "eta_v2", "bob", "promote"],
      ["eta_v2", "eta_v1", "carol", "rollback"],
    ]);
    expect(history.json.moves.at(-1)?.reason).toBe("stale warning spike");

    const lineage = await sluiceJson<{ release: string; events: { type: string }[]; actionPolicy: { thresholds: unknown } }>(ws.root, ["lineage", "eta"]);
    expect(lineage.json.release).toBe("eta_v1");
    expect(lineage.json.actionPolicy.thresholds).toEqual({ warning: 0.5 });
    expect(lineage.json.events.map((e) => e.type)).toContain("rollback");
    expect((await sluice(ws.root, ["verify"])).code).toBe(0);

    // The rolled-back artifacts are held, never reopened as a new release.
    const rerun = await sluiceJson<RunJson>(ws.root, ["run"]);
    // The evaluation against champion eta_v1 was already run (when v2 was the
    // candidate), so it is a cache hit; only the promote stage reruns.
    expect(withStatus(rerun.json, "ran")).toEqual([]);
    expect(withStatus(rerun.json, "held")).toEqual(["eta:promote"]);
    expect(rerun.json.decisions).toEqual([expect.objectContaining({ release: "eta_v2", decision: "hold", failed: ["known_bad"] })]);
    expect(production().release).toBe("eta_v1");
  });

  it("refuses to roll back with no earlier release, registry untouched", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    await ship("w1", 0.5);
    const log = ws.read("registry/releases.jsonl");
    const refused = await sluice(ws.root, ["rollback", "eta", "--reason", "panic"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe("error: eta@production has no earlier known-good release to roll back to (it holds eta_v1)");
    expect(ws.read("registry/releases.jsonl")).toBe(log);
  });

  it("makes verify exit 1 naming a tampered line", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    await ship("w1", 0.5);
    expect((await sluice(ws.root, ["verify"])).code).toBe(0);
    const lines = ws.read("registry/releases.jsonl").split("\n");
    lines[0] = lines[0]!.replace('"warning":0.5', '"warning":0.9');
    ws.write("registry/releases.jsonl", lines.join("\n"));
    const verdict = await sluiceJson<{ ok: boolean; registry: { ok: boolean; problems: { line?: number; reason: string }[] } }>(ws.root, ["verify"]);
    expect(verdict.code).toBe(1);
    expect(verdict.json).toMatchObject({ ok: false, registry: { ok: false } });
    expect(verdict.json.registry.problems[0]).toMatchObject({ reason: "chain-broken", line: 1 });
    expect(verdict.stderr + verdict.stdout).toContain("line 1 was changed after it was written");
  });

  it("exports the chain byte for byte", async () => {
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    await ship("w1", 0.5);
    const exported = await sluice(ws.root, ["registry", "export", "--out", "exported.jsonl"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(ws.read("exported.jsonl")).toBe(ws.read("registry/releases.jsonl"));
  });
});
