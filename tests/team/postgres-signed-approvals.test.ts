/**
 * Signed approvals on the PostgreSQL registry, against a real server on
 * loopback: the signature travels in the event row, and an approval row
 * inserted by hand (chain and head recomputed, as a database owner can)
 * counts for neither promote nor verify.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeEvent, lineDigest } from "../../src/registry/index.js";
import type { RegistryEvent } from "../../contracts/index.js";
import { Workspace } from "../rig.js";
import { releaseWorkspace } from "../registry/fixtures/release-workspace.js";
import { POSTGRES_BIN, PostgresServer } from "./postgres.js";
import { PASS, sluiceJsonWith, sluiceWith } from "./postgres-workspace.js";

describe.skipIf(!POSTGRES_BIN)("signed approvals in the PostgreSQL registry (real server on 127.0.0.1)", () => {
  let server: PostgresServer;
  let ws: Workspace | undefined;

  beforeAll(async () => {
    server = await PostgresServer.start();
  });
  afterAll(async () => {
    ws?.dispose();
    await server?.dispose();
  });

  it("stores the signature in the event row and counts no approval row inserted by hand", async () => {
    const { name, url } = await server.freshDatabase();
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    const ran = await sluiceWith(ws.root, url, ["run"]);
    expect(ran.code, ran.stderr).toBe(0);
    const approved = await sluiceWith(ws.root, url, ["approve", "eta", "eta_v1", "--role", "ml_lead"], "bob");
    expect(approved.code, approved.stderr).toBe(0);

    const rows = await server.query<{ seq: string; line: string }>(name, "SELECT seq, line FROM sluice.events ORDER BY seq");
    const approval = JSON.parse(rows.at(-1)?.line as string) as Extract<RegistryEvent, { type: "approval" }>;
    expect(approval).toMatchObject({ type: "approval", role: "ml_lead", by: "bob", signature: { sshsig: expect.stringContaining("BEGIN SSH SIGNATURE") } });

    // What someone with the database's password could do: a well-chained row and a matching head.
    const seq = rows.length + 1;
    const forged = encodeEvent({
      type: "approval", project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "", seq,
      prev: lineDigest(rows.at(-1)?.line as string), at: new Date().toISOString(), actor: "carol",
    });
    await server.query(name, "INSERT INTO sluice.events (seq, line) VALUES ($1, $2)", [seq, forged]);
    await server.query(name, "UPDATE sluice.head SET seq = $1, digest = $2", [seq, lineDigest(forged)]);

    const promoted = await sluiceWith(ws.root, url, ["promote", "eta", "eta_v1", "--to", "production"], "alice");
    expect(promoted.code).toBe(1);
    expect(promoted.stderr).toMatch(/needs approval by role risk \(not counted: risk by carol: unsigned/);
    const verified = await sluiceJsonWith<{ registry: { problems: { reason: string; line?: number; message: string }[] } }>(ws.root, url, ["verify"]);
    expect(verified.code).toBe(1);
    expect(verified.json.registry.problems).toEqual([
      expect.objectContaining({ reason: "approval-not-counted", line: seq, message: expect.stringMatching(new RegExp(`^seq ${seq}: the approval of eta eta_v1 as risk by carol does not count: unsigned`)) }),
    ]);

    // The real carol's signature settles it.
    expect((await sluiceWith(ws.root, url, ["approve", "eta", "eta_v1", "--role", "risk"], "carol")).code).toBe(0);
    const moved = await sluiceWith(ws.root, url, ["promote", "eta", "eta_v1", "--to", "production"], "alice");
    expect(moved.code, moved.stderr).toBe(0);
  }, 120_000);
});
