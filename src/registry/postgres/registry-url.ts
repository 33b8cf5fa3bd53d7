/**
 * `SLUICE_REGISTRY=postgres://user:password@host:5432/database` parsed
 * and checked before any connection is tried, so a typo is one clear
 * message rather than a driver error. The password never appears in a
 * message: `display` is the URL without it.
 */
import { fail, ok, type Result } from "../../util/result.js";

/** A registry URL that names a PostgreSQL database. */
export interface RegistryUrl {
  /** What the driver connects with (the URL as given). */
  readonly connectionString: string;
  /** `postgres://user@host:port/database`: for messages, no password, no options. */
  readonly display: string;
  readonly user: string | undefined;
  readonly database: string;
}

/** True when `url` asks for the PostgreSQL backend (it may still be malformed). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:/i.test(url.trim());
}

/** Parses a `postgres://` or `postgresql://` URL, or says in one line what is wrong with it. */
export function parseRegistryUrl(text: string): Result<RegistryUrl, string> {
  const given = text.trim();
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return fail(`SLUICE_REGISTRY is not a valid URL (expected postgres://user:password@host:5432/database)`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return fail(`SLUICE_REGISTRY must start with postgres:// or postgresql:// (got ${url.protocol}//)`);
  }
  // A unix-socket directory may come as ?host=/run/postgresql instead of a hostname.
  const socketDir = url.searchParams.get("host");
  const host = decodeURIComponent(url.hostname);
  if (host === "" && !socketDir) return fail(`SLUICE_REGISTRY names no host (expected postgres://user:password@host:5432/database)`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  // Without a name the driver would pick the user's database: too easy to
  // write a registry into the wrong place, so the name is required.
  if (database === "") return fail("SLUICE_REGISTRY names no database (expected postgres://user:password@host:5432/database)");
  if (database.includes("/")) return fail(`SLUICE_REGISTRY must name one database, not a path ("${database}")`);
  const user = url.username === "" ? undefined : decodeURIComponent(url.username);
  const where = host === "" ? "" : `${url.hostname}${url.port === "" ? "" : `:${url.port}`}`;
  const socket = host === "" ? ` (socket ${socketDir})` : "";
  return ok({
    connectionString: given,
    display: `${url.protocol}//${user === undefined ? "" : `${encodeURIComponent(user)}@`}${where}/${encodeURIComponent(database)}${socket}`,
    user,
    database,
  });
}
