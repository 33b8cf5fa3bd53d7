/**
 * gc never removes an object a release references, even once no run record,
 * sluice.lock entry or history line names it any more.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";
import { sluice } from "./cli.js";
import { releaseWorkspace } from "./fixtures/release-workspace.js";

let ws: Workspace;
afterEach(() => ws?.dispose());

describe("sluice gc and releases", () => {
  it("keeps every object a release pins and removes the rest", async () => {
    ws = new Workspace(releaseWorkspace({ gates: { schema_valid: true, no_leakage: true, critical_slice_pass: true, cost_improves: true }, warning: 0.5, weights: "w1" }));
    expect((await sluice(ws.root, ["run"])).code).toBe(0);
    expect((await sluice(ws.root, ["verify"])).code).toBe(0);
    // Without the lock and with --keep 0 (no recent run kept), only the registry still names the release's objects.
    rmSync(join(ws.root, "sluice.lock"));
    const gc = await sluice(ws.root, ["gc", "--keep", "0", "--json"]);
    expect(gc.code, gc.stderr).toBe(0);
    const report = JSON.parse(gc.stdout) as { pinned: number; records: { removed: number }; objects: { removed: number; kept: number } };
    expect(report.pinned).toBeGreaterThan(0);
    expect(report.records.removed).toBeGreaterThan(0);
    expect(report.objects.kept).toBeGreaterThanOrEqual(report.pinned);
    const verified = await sluice(ws.root, ["verify"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0); // every pinned object is still in the store
  });
});
