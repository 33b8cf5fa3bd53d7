/**
 * The README's promise for the PostgreSQL registry: "a writer kept waiting
 * over two minutes is told which process holds the lock". Another process
 * holds the registry's write lock on a real server; a writer waits out the
 * lock timeout and names it. The URL's standard `lock_timeout` parameter
 * (milliseconds, passed to the server like any connection setting) cuts
 * the two minutes to one second.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LOCK_NAMESPACE, WRITE_LOCK } from "../../src/registry/postgres/advisory-locks.js";
import { releaseWorkspace } from "../registry/fixtures/release-workspace.js";
import { describeWith, POSTGRES } from "../requirements.js";
import { Workspace } from "../rig.js";
import { PostgresServer } from "./postgres.js";
import { PASS, sluiceWith } from "./postgres-workspace.js";

describeWith(POSTGRES, "a writer kept waiting for the PostgreSQL registry's lock", () => {
  let server: PostgresServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await PostgresServer.start();
    ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
  });
  afterAll(async () => {
    ws?.dispose();
    await server?.dispose();
  });

  it("is told, once the lock timeout passes, which process holds the lock, and writes nothing", async () => {
    const { name, url } = await server.freshDatabase();
    // Migrate the schema first, so the writer below waits on the write lock alone.
    const list = await sluiceWith(ws.root, url, ["registry", "list"]);
    expect(list.code, list.stderr).toBe(0);

    const holder = new pg.Client({ connectionString: url, application_name: "sluice pid 4242: promote eta" });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1, $2)", [LOCK_NAMESPACE, WRITE_LOCK]);
      const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
      const started = performance.now();
      const out = await sluiceWith(ws.root, `${url}?lock_timeout=1000`, ["rollback", "eta", "--reason", "spike"], "carol");
      const waited = performance.now() - started;
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr).toContain(`the registry is locked by sluice pid 4242: promote eta (server pid ${holderPid})`);
      expect(out.stderr).toContain("try again when it finishes");
      expect(waited).toBeGreaterThanOrEqual(1000); // it did wait, for the timeout the URL set
      expect(await server.query(name, "SELECT * FROM sluice.events")).toEqual([]);
    } finally {
      await holder.end();
    }
  });
});
