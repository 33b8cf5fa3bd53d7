/**
 * The pure parts of the PostgreSQL backend: what a `SLUICE_REGISTRY` URL
 * means, and the one sentence a connection failure becomes. No server.
 */
import { describe, expect, it } from "vitest";
import { RegistryUnavailableError, isPostgresUrl, parseRegistryUrl } from "../../src/registry/postgres/index.js";
import { connectionProblem, explainConnectionError } from "../../src/registry/postgres/connection-errors.js";

describe("SLUICE_REGISTRY URLs", () => {
  it("keeps the URL for the driver and shows it without the password", () => {
    const parsed = parseRegistryUrl("postgres://ml%40team:p%40ss@db.internal:6432/sluice_registry?sslmode=require");
    expect(parsed).toEqual({
      ok: true,
      value: {
        connectionString: "postgres://ml%40team:p%40ss@db.internal:6432/sluice_registry?sslmode=require",
        display: "postgres://ml%40team@db.internal:6432/sluice_registry",
        user: "ml@team",
        database: "sluice_registry",
      },
    });
  });

  it("accepts postgresql:// and a unix socket directory given as ?host=", () => {
    expect(parseRegistryUrl("postgresql:///registry?host=/run/postgresql")).toMatchObject({
      ok: true,
      value: { display: "postgresql:///registry (socket /run/postgresql)", database: "registry", user: undefined },
    });
    expect(isPostgresUrl(" POSTGRES://h/d")).toBe(true);
    expect(isPostgresUrl("file")).toBe(false);
  });

  it("says in one line what is wrong with a malformed URL", () => {
    const errors = ["postgres://h:notaport/db", "postgres://h:5432", "postgres://h/a/b", "postgres:///db"].map((u) => {
      const parsed = parseRegistryUrl(u);
      return parsed.ok ? "ok" : parsed.error;
    });
    expect(errors).toMatchInlineSnapshot(`
      [
        "SLUICE_REGISTRY is not a valid URL (expected postgres://user:password@host:5432/database)",
        "SLUICE_REGISTRY names no database (expected postgres://user:password@host:5432/database)",
        "SLUICE_REGISTRY must name one database, not a path ("a/b")",
        "SLUICE_REGISTRY names no host (expected postgres://user:password@host:5432/database)",
      ]
    `);
  });
});

describe("connection failures", () => {
  it("turns driver and socket errors into one sentence naming the registry", () => {
    // Node reports a refused dual-stack connect as an AggregateError; the code is on its parts.
    const refused = new AggregateError([Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" })]);
    const cases = [
      refused,
      Object.assign(new Error('password authentication failed for user "ml"'), { code: "28P01" }),
      Object.assign(new Error('database "nope" does not exist'), { code: "3D000" }),
      Object.assign(new Error("getaddrinfo ENOTFOUND db.internal"), { code: "ENOTFOUND" }),
      new Error("Connection terminated due to connection timeout"),
      new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string"),
    ].map((e) => (explainConnectionError(e, "postgres://ml@db.internal:5432/registry") as Error).message);
    expect(cases).toMatchInlineSnapshot(`
      [
        "cannot use the registry at postgres://ml@db.internal:5432/registry: connection refused (is the server running and listening on that host and port?)",
        "cannot use the registry at postgres://ml@db.internal:5432/registry: authentication failed (check the user and password in SLUICE_REGISTRY)",
        "cannot use the registry at postgres://ml@db.internal:5432/registry: database "nope" does not exist (create it first: createdb, or CREATE DATABASE)",
        "cannot use the registry at postgres://ml@db.internal:5432/registry: the host name does not resolve",
        "cannot use the registry at postgres://ml@db.internal:5432/registry: timed out connecting to the server",
        "cannot use the registry at postgres://ml@db.internal:5432/registry: the server asks for a password and SLUICE_REGISTRY carries none",
      ]
    `);
  });

  it("leaves other errors alone: a constraint violation is a bug, not an unreachable server", () => {
    const duplicate = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });
    expect(connectionProblem(duplicate)).toBeUndefined();
    expect(explainConnectionError(duplicate, "postgres://h/d")).toBe(duplicate);
    const already = new RegistryUnavailableError("cannot use the registry at postgres://h/d: x");
    expect(explainConnectionError(already, "postgres://h/d")).toBe(already);
  });
});
