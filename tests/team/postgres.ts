/**
 * A real PostgreSQL server in a temp directory on 127.0.0.1, started by a
 * test file and stopped after it: the server a team would point
 * `SLUICE_REGISTRY` at. Each test takes a fresh database on it.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: then initdb and
 * the server run as the `postgres` system user, which owns the temp dir.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { POSTGRES } from "../requirements.js";
import { freePort } from "./free-port.js";

/** The directory holding initdb and postgres, or undefined when not installed (see ../requirements.ts). */
export const POSTGRES_BIN: string | undefined = POSTGRES.path;

/** The superuser the tests connect as, with a password so auth failures can be tested. */
export const PG_USER = "sluice";
export const PG_PASSWORD = "s3cret-pw";

const asRoot = process.getuid?.() === 0;

export class PostgresServer {
  readonly dir: string;
  readonly port: number;
  #child: ChildProcess | undefined;
  #log = "";
  #databases = 0;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  /** initdb in a fresh temp dir, then the server on a free loopback port. */
  static async start(): Promise<PostgresServer> {
    if (!POSTGRES_BIN) throw new Error("PostgreSQL is not installed");
    // As root, /tmp: TMPDIR may sit under a home the postgres user cannot enter.
    const dir = mkdtempSync(join(asRoot ? "/tmp" : tmpdir(), "sluice-pg-"));
    const server = new PostgresServer(dir, await freePort());
    mkdirSync(join(dir, "socket"));
    writeFileSync(join(dir, "pwfile"), `${PG_PASSWORD}\n`);
    if (asRoot) for (const path of [dir, join(dir, "socket"), join(dir, "pwfile")]) chownSync(path, postgresUid(), postgresGid());
    const init = spawnSync(
      ...asPostgres(join(POSTGRES_BIN, "initdb"), [
        "-D", join(dir, "data"), "-U", PG_USER, `--pwfile=${join(dir, "pwfile")}`,
        "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync",
      ]),
      { encoding: "utf8" },
    );
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr}${init.stdout}`);
    await server.#spawn();
    return server;
  }

  /** A URL for `database` (default: the admin database) with the test user's credentials. */
  url(database = "postgres", credentials: { user?: string; password?: string } = {}): string {
    const user = encodeURIComponent(credentials.user ?? PG_USER);
    const password = encodeURIComponent(credentials.password ?? PG_PASSWORD);
    return `postgres://${user}:${password}@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates an empty database: its name, and its URL with the test user's credentials. */
  async freshDatabase(): Promise<{ readonly name: string; readonly url: string }> {
    const name = `registry_${process.pid}_${++this.#databases}`;
    await this.query("postgres", `CREATE DATABASE ${name}`);
    return { name, url: this.url(name) };
  }

  /** Runs one statement in `database` as the superuser and returns the rows. */
  async query<R extends pg.QueryResultRow = Record<string, unknown>>(database: string, sql: string, values: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Stops the server (fast shutdown) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGINT");
    await exited;
  }

  /** Stops the server and removes its files. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What the server printed, for failure messages. */
  log(): string {
    return this.#log;
  }

  async #spawn(): Promise<void> {
    const settings = [
      "-D", join(this.dir, "data"), "-h", "127.0.0.1", "-p", String(this.port), "-k", join(this.dir, "socket"),
      // A test server: durability buys nothing and costs seconds.
      "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
      "-c", "max_connections=200", "-c", "logging_collector=off",
    ];
    const child = spawn(...asPostgres(join(POSTGRES_BIN as string, "postgres"), settings), { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => (this.#log += d.toString()));
    this.#child = child;
    // A test that times out never reaches afterAll: don't leave a server behind the worker.
    const orphanGuard = () => child.kill("SIGINT");
    process.once("exit", orphanGuard);
    child.once("exit", () => process.off("exit", orphanGuard));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited at start (${child.exitCode}): ${this.#log}`);
      try {
        await this.query("postgres", "SELECT 1");
        return;
      } catch {
        // not accepting connections yet
      }
      if (Date.now() > deadline) throw new Error(`postgres did not start accepting connections: ${this.#log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The command and arguments to run `bin` as the postgres user when we are root (setpriv execs, so the pid is the server's). */
function asPostgres(bin: string, args: string[]): [string, string[]] {
  if (!asRoot) return [bin, args];
  return ["setpriv", [`--reuid=${postgresUid()}`, `--regid=${postgresGid()}`, "--init-groups", "--", bin, ...args]];
}

function postgresUid(): number {
  return idOf("-u");
}

function postgresGid(): number {
  return idOf("-g");
}

function idOf(flag: "-u" | "-g"): number {
  const out = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const id = Number(out.stdout.trim());
  if (out.status !== 0 || !Number.isInteger(id)) throw new Error("running as root, but there is no `postgres` system user to run the server as");
  return id;
}
