/**
 * Opens the workspace's registry. `SLUICE_REGISTRY` picks the backend:
 * unset or `file` is the embedded `registry/releases.jsonl`; a
 * `postgres://` (or `postgresql://`) URL is the PostgreSQL registry.
 */
import { currentActor } from "./actor.js";
import type { RegistryBackend } from "./backend.js";
import { FileBackend } from "./file-backend.js";
import { isPostgresUrl, parseRegistryUrl, PostgresBackend } from "./postgres/index.js";
import { Registry } from "./registry.js";

/** Options of `openRegistry`. */
export interface OpenRegistryOptions {
  /** Identity recorded on events; default `currentActor()`. */
  readonly actor?: string;
  /** Overrides `SLUICE_REGISTRY`. */
  readonly url?: string;
  /** Fixed clock for tests. */
  readonly now?: () => Date;
}

/** Thrown for a `SLUICE_REGISTRY` this build cannot open (unknown scheme or malformed URL). */
export class UnsupportedRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedRegistryError";
  }
}

/**
 * The backend for the workspace at `root`. Nothing is connected yet: a
 * PostgreSQL backend connects (and migrates its schema) on first use.
 */
export function registryBackend(root: string, url: string | undefined = process.env["SLUICE_REGISTRY"]): RegistryBackend {
  if (url === undefined || url.trim() === "" || url.trim() === "file") return new FileBackend(root);
  if (isPostgresUrl(url)) {
    const parsed = parseRegistryUrl(url);
    if (!parsed.ok) throw new UnsupportedRegistryError(parsed.error);
    return new PostgresBackend(root, parsed.value);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1];
  throw new UnsupportedRegistryError(
    `SLUICE_REGISTRY=${scheme ? `${scheme}:…` : url} is not a registry this sluice can open (use "file", a postgres:// URL, or unset it)`,
  );
}

/**
 * A registry handle for the workspace at `root`. The storage is checked
 * first (for PostgreSQL: reachable, credentials, schema migrated), so an
 * unusable registry fails here with one message, before any operation.
 */
export async function openRegistry(root: string, options: OpenRegistryOptions = {}): Promise<Registry> {
  const backend = registryBackend(root, options.url ?? process.env["SLUICE_REGISTRY"]);
  await backend.open?.();
  return new Registry(backend, { actor: options.actor ?? currentActor(root), root, ...(options.now ? { now: options.now } : {}) });
}
