/**
 * Sixteen writers in sixteen processes against one PostgreSQL registry
 * (a real server on loopback): the advisory lock serialises them, so
 * every release is registered once, every alias ends on exactly one
 * release with each move starting where the previous one left it, a
 * decision they all try to record is recorded once, and the chain
 * verifies. The database is new, so they also race the first migration.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RegistryEvent } from "../../contracts/index.js";
import { tempWorkspace, type TempWorkspace } from "../registry/workspace.js";
import { describeWith, POSTGRES } from "../requirements.js";
import { cliEnv } from "../rig.js";
import { PostgresServer } from "./postgres.js";
import { sluiceJsonWith } from "./postgres-workspace.js";

const run = promisify(execFile);
const PROMOTER = fileURLToPath(new URL("postgres-promoter.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const WRITERS = 16;

describeWith(POSTGRES, "concurrent promoters on the PostgreSQL registry", () => {
  let server: PostgresServer;
  let ws: TempWorkspace | undefined;

  beforeAll(async () => {
    server = await PostgresServer.start();
  });
  afterAll(async () => {
    ws?.cleanup();
    await server?.dispose();
  });

  it(`serialises ${WRITERS} promoter processes: one release each, one decision recorded, each alias on exactly one release, chain valid`, async () => {
    const { name, url } = await server.freshDatabase();
    ws = await tempWorkspace();
    const root = ws.root;
    const started = performance.now();
    const outputs = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => run(process.execPath, ["--import", "tsx", PROMOTER, root, String(i), url], { cwd: REPO, env: cliEnv() })),
    );
    console.info(`${WRITERS} promoter processes against PostgreSQL: ${Math.round(performance.now() - started)} ms`);
    const results = outputs.map((o) => JSON.parse(o.stdout) as { release: string; decision: string; recorded: boolean });
    expect(results.every((r) => r.decision === "canary_open")).toBe(true);
    const releases = results.map((r) => r.release);
    expect(new Set(releases).size).toBe(WRITERS);
    expect(results.filter((r) => r.recorded)).toHaveLength(1);

    // The first-use migration ran once despite the race.
    expect((await server.query(name, "SELECT version FROM sluice.schema_migrations ORDER BY version")).map((r) => r["version"])).toEqual([1, 2, 3]);

    const rows = await server.query<{ seq: string; line: string }>(name, "SELECT seq, line FROM sluice.events ORDER BY seq");
    const events = rows.map((r) => JSON.parse(r.line) as RegistryEvent);
    // Per writer: registration, canary_open decision, canary move, two approvals; plus the one shared decision.
    expect(events).toHaveLength(WRITERS * 5 + 1);
    expect(rows.map((r) => Number(r.seq))).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === "release_registered")).toHaveLength(WRITERS);
    expect(events.filter((e) => e.type === "decision" && e.key === "eta:canary:window-7")).toHaveLength(1);

    const canaryMoves = events.filter((e): e is Extract<RegistryEvent, { type: "alias_moved" }> => e.type === "alias_moved" && e.alias === "canary");
    expect(canaryMoves).toHaveLength(WRITERS);
    canaryMoves.forEach((m, i) => expect(m.from).toBe(i === 0 ? null : canaryMoves[i - 1]!.to));
    const canary = canaryMoves.at(-1)!.to;
    expect(await server.query(name, "SELECT alias, release FROM sluice.aliases")).toEqual([{ alias: "canary", release: canary }]);
    expect(JSON.parse(readFileSync(join(root, "registry", "eta", "canary.json"), "utf8")).release).toBe(canary);

    const verdict = await sluiceJsonWith<{ ok: boolean; registry: { lines: number; releases: number; problems: unknown[] } }>(root, url, ["verify"]);
    expect(verdict.json.registry.problems).toEqual([]);
    expect(verdict.code).toBe(0);
    expect(verdict.json.registry).toMatchObject({ lines: WRITERS * 5 + 1, releases: WRITERS });

    // Sixteen people promote sixteen different releases to production at once,
    // each expecting it unset: exactly one wins, the others are told it moved.
    const promotions = await Promise.all(
      releases.map((release) => sluiceJsonWith<{ ok: boolean; to?: string; error?: { reason: string } }>(root, url, ["promote", "eta", release, "--to", "production", "--expect", "none"], "bob")),
    );
    const winners = promotions.filter((p) => p.code === 0);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.json.to;
    const losers = promotions.filter((p) => p.code !== 0);
    expect(losers.map((p) => [p.code, p.json.error?.reason])).toEqual(Array.from({ length: WRITERS - 1 }, () => [1, "stale-alias"]));

    const history = await sluiceJsonWith<{ current: string; moves: { from: string | null; to: string }[] }>(root, url, ["registry", "history", "eta", "production"]);
    expect(history.json).toMatchObject({ current: winner, moves: [{ from: null, to: winner }] });
    expect(await server.query(name, "SELECT release FROM sluice.aliases WHERE alias = 'production'")).toEqual([{ release: winner }]);
    expect((await sluiceJsonWith(root, url, ["verify"])).code).toBe(0);
  }, 180_000);
});
