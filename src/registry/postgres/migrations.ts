/**
 * The registry's schema, as numbered migrations applied on first use.
 * `sluice.schema_migrations` records each version applied; a migration
 * runs once, inside one transaction with its record, under an advisory
 * lock, so concurrent first uses apply it once and a failure applies
 * nothing. A database migrated by a newer sluice is refused rather than
 * written with rules this build does not know.
 *
 * Migrations are append-only like the log: never edit a released one,
 * add the next version.
 */
import type { ClientBase } from "pg";
import { LOCK_NAMESPACE, MIGRATION_LOCK } from "./advisory-locks.js";
import { RegistryUnavailableError } from "./connection-errors.js";

/** One step of the schema. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The schema every registry table lives in. */
export const SCHEMA = "sluice";

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "event log and head",
    sql: `
      CREATE TABLE sluice.events (
        seq  bigint PRIMARY KEY CHECK (seq > 0),
        line text   NOT NULL
      );
      COMMENT ON TABLE sluice.events IS
        'The registry event log: row seq holds line seq of releases.jsonl, the canonical JSON exactly as chained (its prev is the digest of line seq-1). Export writes the lines verbatim.';
      CREATE TABLE sluice.head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seq       bigint  NOT NULL,
        digest    text    NOT NULL
      );
      COMMENT ON TABLE sluice.head IS
        'seq and digest of the last event, kept apart from the log so that an edit of the last row is caught (registry/head.json in the file registry).';
      CREATE VIEW sluice.event_log AS SELECT seq, line::jsonb AS event FROM sluice.events;
      COMMENT ON VIEW sluice.event_log IS 'The events as jsonb, for queries; sluice reads sluice.events.';
    `,
  },
  {
    version: 2,
    name: "events are append-only",
    sql: `
      CREATE FUNCTION sluice.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'sluice.events is append-only: % refused', TG_OP
          USING HINT = 'registry events are never changed or removed; record a new event (sluice rollback, sluice promote) instead';
      END
      $$;
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON sluice.events
        FOR EACH ROW EXECUTE FUNCTION sluice.refuse_event_change();
      CREATE TRIGGER events_never_truncated BEFORE TRUNCATE ON sluice.events
        FOR EACH STATEMENT EXECUTE FUNCTION sluice.refuse_event_change();
    `,
  },
  {
    version: 3,
    name: "materialised aliases",
    sql: `
      CREATE TABLE sluice.aliases (
        project   text   NOT NULL,
        alias     text   NOT NULL,
        release   text   NOT NULL,
        event_seq bigint NOT NULL REFERENCES sluice.events (seq),
        document  text   NOT NULL,
        PRIMARY KEY (project, alias)
      );
      COMMENT ON TABLE sluice.aliases IS
        'Each live alias: the release it points at and the exact alias file text (the whole manifest) a serving system reads. Rewritten in the transaction that moves the alias; sluice verify compares it with the log.';
    `,
  },
];

/** The version a fully migrated registry is at. */
export const LATEST_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

/** What `migrate` did. */
export interface MigrationReport {
  /** Versions applied by this call, in order (empty: already up to date). */
  readonly applied: readonly number[];
  /** The version the schema is at now. */
  readonly version: number;
}

/**
 * Brings the schema to `LATEST_VERSION`. Cheap when it is already there
 * (one read, no lock), which is every use but the first.
 */
export async function migrate(client: ClientBase, display: string): Promise<MigrationReport> {
  const current = await schemaVersion(client);
  refuseNewer(current, display);
  if (current === LATEST_VERSION) return { applied: [], version: current };
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [LOCK_NAMESPACE, MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Read again under the lock: another process may have migrated meanwhile.
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA}.schema_migrations`)).rows.map((r) => r.version));
    refuseNewer(Math.max(0, ...done), display);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await client.query("COMMIT");
    return { applied, version: LATEST_VERSION };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** The highest version applied, 0 for a database sluice has never used. */
export async function schemaVersion(client: ClientBase): Promise<number> {
  try {
    const result = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${SCHEMA}.schema_migrations`);
    return result.rows[0]?.version ?? 0;
  } catch (error) {
    // 3F000: no such schema, 42P01: no such table. Either way, never migrated.
    const code = (error as { code?: unknown }).code;
    if (code === "3F000" || code === "42P01") return 0;
    throw error;
  }
}

function refuseNewer(version: number, display: string): void {
  if (version > LATEST_VERSION) {
    throw new RegistryUnavailableError(
      `the registry at ${display} has schema version ${version}, newer than this sluice knows (${LATEST_VERSION}); upgrade sluice before using it`,
    );
  }
}
