/**
 * The PostgreSQL registry end to end through the CLI, against a real
 * server on loopback (one per file, a fresh database per story): the same
 * commands give the same answers as the file registry, a file registry
 * moves in and back out byte for byte, verify catches a row changed
 * behind sluice's back, and a server that cannot be used is one clear
 * line with exit 2.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATEST_VERSION, migrate } from "../../src/registry/postgres/index.js";
import { Workspace } from "../rig.js";
import { releaseWorkspace } from "../registry/fixtures/release-workspace.js";
import { describeWith, POSTGRES } from "../requirements.js";
import { PostgresServer } from "./postgres.js";
import { PASS, ship, sluiceJsonWith, sluiceWith, withoutTimes } from "./postgres-workspace.js";
import { freePort } from "./free-port.js";

interface Verdict {
  ok: boolean;
  registry: { ok: boolean; location: string; lines: number; problems: { reason: string; line?: number; file?: string; message: string }[] };
}

describeWith(POSTGRES, "PostgreSQL registry (real server on 127.0.0.1)", () => {
  let server: PostgresServer;
  const workspaces: Workspace[] = [];
  const fresh = () => {
    const ws = new Workspace(releaseWorkspace({ gates: PASS, warning: 0.5, weights: "w1" }));
    workspaces.push(ws);
    return ws;
  };
  const eventCount = async (db: string) => Number((await server.query<{ n: string }>(db, "SELECT count(*) AS n FROM sluice.events"))[0]?.n);

  beforeAll(async () => {
    server = await PostgresServer.start();
  });
  afterAll(async () => {
    for (const ws of workspaces) ws.dispose();
    await server?.dispose();
  });

  describe("a team moving from the file registry to PostgreSQL", () => {
    // The file workspace is shared by the stories below: shipping through the CLI is the slow part.
    let onFile: Workspace;
    const READS = [
      ["registry", "list"],
      ["registry", "show", "eta", "@production"],
      ["registry", "show", "eta", "eta_v2"],
      ["registry", "history", "eta", "production"],
      ["registry", "history", "eta", "canary"],
    ];

    it("gives the same list, show and history through PostgreSQL as through the file registry after promote, approve and rollback", async () => {
      const { name, url } = await server.freshDatabase();
      onFile = fresh();
      const onPg = fresh();
      for (const [ws, registry] of [[onFile, ""], [onPg, url]] as const) {
        await ship(ws, registry, "w1", 0.5);
        await ship(ws, registry, "w2", 0.3);
        const rolled = await sluiceWith(ws.root, registry, ["rollback", "eta", "--reason", "stale warning spike"], "carol");
        expect(rolled.code, rolled.stderr).toBe(0);
      }
      // The file registry stays the default; the PostgreSQL workspace never writes the file log.
      expect(onFile.exists("registry/releases.jsonl") && onFile.exists("registry/head.json")).toBe(true);
      expect(onPg.exists("registry/releases.jsonl") || onPg.exists("registry/head.json")).toBe(false);
      expect(await eventCount(name)).toBe(onFile.read("registry/releases.jsonl").split("\n").length - 1);

      for (const args of READS) {
        const file = await sluiceJsonWith(onFile.root, "", args);
        const db = await sluiceJsonWith(onPg.root, url, args);
        expect(db.code, db.stderr).toBe(0);
        expect(withoutTimes(db.json), args.join(" ")).toEqual(withoutTimes(file.json));
      }
      // The workspace's alias file holds the rolled-back release's whole manifest, as on the file registry,
      // and the alias table holds exactly that text.
      const production = onPg.read("registry/eta/production.json");
      expect(withoutTimes(JSON.parse(production))).toEqual(withoutTimes(JSON.parse(onFile.read("registry/eta/production.json"))));
      expect(JSON.parse(production).manifest.actionPolicy.thresholds).toEqual({ warning: 0.5 });
      expect(await server.query(name, "SELECT project, alias, release, document FROM sluice.aliases")).toEqual([
        { project: "eta", alias: "production", release: "eta_v1", document: production },
      ]);

      const verdict = await sluiceJsonWith<Verdict>(onPg.root, url, ["verify"]);
      expect(verdict.code, verdict.stdout).toBe(0);
      expect(verdict.json.registry.ok).toBe(true);
      // The location names the database, never the password.
      expect(verdict.json.registry.location).toBe(`postgres://sluice@127.0.0.1:${server.port}/${name}`);
    }, 180_000); // two workspaces shipped twice and rolled back through the CLI, then ten reads of each: ~25 processes

    it("imports the file registry verified, reads it identically, and exports it back byte for byte", async () => {
      const { name, url } = await server.freshDatabase();
      const fileLog = onFile.read("registry/releases.jsonl");
      const lines = fileLog.split("\n").length - 1;

      const imported = await sluiceJsonWith(onFile.root, url, ["registry", "import"]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.json).toMatchObject({ ok: true, from: "registry/releases.jsonl", existing: 0, imported: lines, headFrom: "head.json" });
      expect(imported.json["verification"]).toMatchObject({ ok: true, lines, releases: 2, problems: [] });
      expect(await eventCount(name)).toBe(lines);

      // The same log reads the same, byte for byte, on both backends.
      for (const args of READS) {
        const file = await sluiceWith(onFile.root, "", args);
        const db = await sluiceWith(onFile.root, url, args);
        expect(db.code, db.stderr).toBe(0);
        expect(db.stdout, args.join(" ")).toBe(file.stdout);
      }
      expect((await sluiceWith(onFile.root, url, ["verify"])).code).toBe(0);

      const exported = await sluiceJsonWith(onFile.root, url, ["registry", "export", "--out", "exported.jsonl"]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.json).toMatchObject({ ok: true, lines });
      expect(onFile.read("exported.jsonl")).toBe(fileLog);
      expect((await sluiceWith(onFile.root, url, ["registry", "export"])).stdout).toBe(fileLog);

      // The export is a file registry's log: it imports into another database as it is.
      const again = await server.freshDatabase();
      const reimported = await sluiceJsonWith(onFile.root, again.url, ["registry", "import", "--from", "exported.jsonl"]);
      expect(reimported.code, reimported.stderr).toBe(0);
      expect(reimported.json).toMatchObject({ ok: true, headFrom: "last line", imported: lines });
      expect((await sluiceWith(onFile.root, again.url, ["registry", "export"])).stdout).toBe(fileLog);
    });

    it("imports only what is new: twice is a no-op, a grown file appends its new lines, another chain is refused untouched", async () => {
      const { name, url } = await server.freshDatabase();
      expect((await sluiceWith(onFile.root, url, ["registry", "import"])).code).toBe(0);
      const before = await eventCount(name);

      const twice = await sluiceJsonWith(onFile.root, url, ["registry", "import"]);
      expect(twice.code, twice.stderr).toBe(0);
      expect(twice.json).toMatchObject({ ok: true, existing: before, imported: 0 });
      expect(twice.stderr).toBe("");

      // The file registry moves on (one more approval); importing again appends just that.
      const approved = await sluiceWith(onFile.root, "", ["approve", "eta", "eta_v1", "--role", "ml_lead", "--by", "dave"], "dave");
      expect(approved.code, approved.stderr).toBe(0);
      const grown = await sluiceJsonWith(onFile.root, url, ["registry", "import"]);
      expect(grown.json).toMatchObject({ ok: true, existing: before, imported: 1 });
      expect(await eventCount(name)).toBe(before + 1);

      // Now the database moves on its own: the file is no longer a continuation of it.
      const onDb = await sluiceWith(onFile.root, url, ["approve", "eta", "eta_v2", "--role", "ml_lead", "--by", "erin"], "erin");
      expect(onDb.code, onDb.stderr).toBe(0);
      const approvedOnFile = await sluiceWith(onFile.root, "", ["approve", "eta", "eta_v2", "--role", "risk", "--by", "frank"], "frank");
      expect(approvedOnFile.code, approvedOnFile.stderr).toBe(0);
      const exportBefore = (await sluiceWith(onFile.root, url, ["registry", "export"])).stdout;
      const refused = await sluiceJsonWith<{ ok: boolean; error: { reason: string; seq: number; message: string } }>(onFile.root, url, ["registry", "import"]);
      expect(refused.code).toBe(2);
      expect(refused.json.error).toMatchObject({ reason: "different-chain", seq: before + 2 });
      expect(refused.stderr.trim()).toBe(`error: ${refused.json.error.message}`);
      expect((await sluiceWith(onFile.root, url, ["registry", "export"])).stdout).toBe(exportBefore);
    });

    it("refuses to import a damaged file and writes nothing", async () => {
      const { name, url } = await server.freshDatabase();
      const lines = onFile.read("registry/releases.jsonl").split("\n");
      lines[1] = lines[1]!.replace('"actor":"alice"', '"actor":"mallory"');
      expect(lines[1]).toContain("mallory");
      onFile.write("tampered/releases.jsonl", lines.join("\n"));
      const refused = await sluiceJsonWith<{ error: { reason: string; problems: { line: number }[] } }>(onFile.root, url, [
        "registry",
        "import",
        "--from",
        "tampered/releases.jsonl",
      ]);
      expect(refused.code).toBe(1);
      expect(refused.json.error.reason).toBe("source-damaged");
      expect(refused.json.error.problems[0]).toMatchObject({ line: 2 });
      expect(refused.stderr).toContain("line 2 was changed after it was written");
      expect(await eventCount(name)).toBe(0);

      const missing = await sluiceWith(onFile.root, url, ["registry", "import", "--from", "no/such.jsonl"]);
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim()).toBe("error: no/such.jsonl does not exist");
    });
  });

  it("makes verify exit 1 naming the seq of a row changed by SQL, after the append-only guard refused the plain UPDATE", async () => {
    const { name, url } = await server.freshDatabase();
    const ws = fresh();
    await ship(ws, url, "w1", 0.5);
    expect((await sluiceWith(ws.root, url, ["verify"])).code).toBe(0);

    const [approval] = await server.query<{ seq: string }>(name, `SELECT seq FROM sluice.events WHERE line LIKE '%"type":"approval"%' ORDER BY seq LIMIT 1`);
    const seq = Number(approval?.seq);
    expect(seq).toBeGreaterThan(1);
    const forge = `UPDATE sluice.events SET line = replace(line, '"by":"bob"', '"by":"mallory"') WHERE seq = ${seq}`;
    await expect(server.query(name, forge)).rejects.toThrow(/append-only/);

    // Someone with the owner's rights switches the guard off: verify still catches it.
    await server.query(name, "ALTER TABLE sluice.events DISABLE TRIGGER events_append_only");
    await server.query(name, forge);
    const verdict = await sluiceJsonWith<Verdict>(ws.root, url, ["verify"]);
    expect(verdict.code).toBe(1);
    expect(verdict.json).toMatchObject({ ok: false, registry: { ok: false } });
    expect(verdict.json.registry.problems[0]).toMatchObject({ reason: "chain-broken", line: seq });
    expect(verdict.json.registry.problems[0]?.message).toMatch(new RegExp(`^seq ${seq} was changed after it was written`));
    const human = await sluiceWith(ws.root, url, ["verify"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`seq ${seq} was changed after it was written`);

    // No write builds on a damaged log.
    const refused = await sluiceWith(ws.root, url, ["rollback", "eta", "--to", "eta_v1", "--reason", "x"], "carol");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("is damaged");
    expect(refused.stderr).not.toMatch(/^\s+at /m);
  });

  it("checks the alias table and this workspace's alias files; registry sync rewrites the files", async () => {
    const { name, url } = await server.freshDatabase();
    const ws = fresh();
    await ship(ws, url, "w1", 0.5);
    const good = ws.read("registry/eta/production.json");

    await server.query(name, "UPDATE sluice.aliases SET release = 'eta_v0' WHERE alias = 'production'");
    const stale = await sluiceJsonWith<Verdict>(ws.root, url, ["verify"]);
    expect(stale.code).toBe(1);
    expect(stale.json.registry.problems).toEqual([expect.objectContaining({ reason: "alias-row-stale", file: "sluice.aliases eta@production" })]);
    await server.query(name, "UPDATE sluice.aliases SET release = 'eta_v1' WHERE alias = 'production'");

    ws.write("registry/eta/production.json", good.replace('"release": "eta_v1"', '"release": "eta_v9"'));
    const edited = await sluiceJsonWith<Verdict>(ws.root, url, ["verify"]);
    expect(edited.code).toBe(1);
    expect(edited.json.registry.problems).toEqual([expect.objectContaining({ reason: "alias-file-stale", file: "registry/eta/production.json" })]);
    expect(edited.json.registry.problems[0]?.message).toContain("sluice registry sync");

    const synced = await sluiceJsonWith<{ rewritten: string[] }>(ws.root, url, ["registry", "sync"]);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.json.rewritten).toEqual(["registry/eta/production.json"]);
    expect(ws.read("registry/eta/production.json")).toBe(good);
    expect((await sluiceWith(ws.root, url, ["verify"])).code).toBe(0);

    // A workspace holding no copy (a fresh clone) is not wrong: the table is the team's view.
    rmSync(join(ws.root, "registry/eta/production.json"));
    expect((await sluiceWith(ws.root, url, ["verify"])).code).toBe(0);
    // Nor is one whose cache lacks the objects the releases pin: another workspace built and keeps them.
    const clone = fresh();
    const elsewhere = await sluiceJsonWith<Verdict & { registry: { elsewhere: number; objects: number } }>(clone.root, url, ["verify"]);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.json.registry.elsewhere).toBe(elsewhere.json.registry.objects);
    expect(elsewhere.json.registry.objects).toBeGreaterThan(0);
    expect((await sluiceJsonWith<{ rewritten: string[] }>(ws.root, url, ["registry", "sync"])).json.rewritten).toEqual(["registry/eta/production.json"]);
  });

  it("reports an unreachable server, a bad URL, a wrong password or a missing database in one line with exit 2, writing nothing", async () => {
    const { name, url } = await server.freshDatabase();
    const ws = fresh();
    await ship(ws, url, "w1", 0.5);
    const events = await eventCount(name);
    const registryFiles = () => readdirSync(join(ws.root, "registry"), { recursive: true }).map(String).sort();
    const filesBefore = registryFiles();
    const closedPort = await freePort();
    const cases: [string, string, RegExp][] = [
      ["unreachable", `postgres://sluice:pw@127.0.0.1:${closedPort}/registry`, /connection refused/],
      ["bad URL", "postgres://sluice:pw@127.0.0.1:notaport/registry", /not a valid URL/],
      ["no database named", `postgres://sluice:pw@127.0.0.1:${server.port}`, /names no database/],
      ["wrong password", server.url(name, { password: "wrong" }), /authentication failed/],
      ["missing database", server.url("no_such_registry"), /database "no_such_registry" does not exist/],
      ["unknown scheme", "mysql://127.0.0.1/registry", /not a registry this sluice can open|moves a file registry into PostgreSQL/],
    ];
    const everyCommand = (bad: string) => [
      ["registry", "list"],
      ["verify"],
      ["promote", "eta", "eta_v1", "--to", "production"],
      ["approve", "eta", "eta_v1", "--role", "risk"],
      ["registry", "export"],
      ["registry", "import", "--to", bad],
    ];
    for (const [what, bad, message] of cases) {
      // Every command for the first case; a reader and a writer for the rest (each run is a process).
      const commands = what === "unreachable" ? everyCommand(bad) : [["registry", "history", "eta", "production"], ["rollback", "eta", "--reason", "x"]];
      for (const args of commands) {
        const out = await sluiceWith(ws.root, bad, args, "bob");
        const label = `${what}: sluice ${args.join(" ")}`;
        expect(out.code, `${label}\n${out.stderr}`).toBe(2);
        const lines = out.stderr.trim().split("\n");
        expect(lines, label).toHaveLength(1);
        expect(lines[0], label).toMatch(/^error: /);
        expect(lines[0], label).toMatch(message);
        expect(out.stderr, label).not.toContain("pw@");
        expect(out.stdout, label).toBe("");
      }
    }
    expect(await eventCount(name)).toBe(events);
    expect(registryFiles()).toEqual(filesBefore);
    // And the registry itself still works.
    expect((await sluiceWith(ws.root, url, ["verify"])).code).toBe(0);
  });

  it("migrates a new database on first use, once, and records each version", async () => {
    const { name, url } = await server.freshDatabase();
    const ws = fresh();
    const schemas = async () => server.query(name, "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'sluice'");
    expect(await schemas()).toEqual([]);

    const first = await sluiceWith(ws.root, url, ["registry", "list"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe("no releases registered yet");
    const applied = await server.query<{ version: number; name: string; applied_at: Date }>(name, "SELECT version, name, applied_at FROM sluice.schema_migrations ORDER BY version");
    expect(applied.map((m) => m.version)).toEqual([1, 2, 3]);
    expect(LATEST_VERSION).toBe(3);

    // Every later use, reads and writes alike, finds the schema current and changes nothing.
    await ship(ws, url, "w1", 0.5);
    expect((await sluiceWith(ws.root, url, ["registry", "list"])).code).toBe(0);
    expect(await server.query(name, "SELECT version, name, applied_at FROM sluice.schema_migrations ORDER BY version")).toEqual(applied);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect(await migrate(client, name)).toEqual({ applied: [], version: 3 });
      // A database a newer sluice migrated is refused, not written with older rules.
      await client.query("INSERT INTO sluice.schema_migrations (version, name) VALUES (99, 'from the future')");
      await expect(migrate(client, name)).rejects.toThrow(/schema version 99, newer than this sluice knows \(3\)/);
    } finally {
      await client.end();
    }
    const refused = await sluiceWith(ws.root, url, ["registry", "list"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^error: the registry at postgres:\/\/sluice@127\.0\.0\.1:\d+\/registry_\w+ has schema version 99, newer than this sluice knows \(3\); upgrade sluice before using it$/);
  });
});
