/**
 * Opens the workspace's registry. `SLUICE_REGISTRY` picks the backend:
 * unset or `file` is the embedded `registry/releases.jsonl`; a
 * `postgres://` URL is reserved for the PostgreSQL backend.
 */
import { initDigests } from "../cache/digest.js";
import { currentActor } from "./actor.js";
import type { RegistryBackend } from "./backend.js";
import { FileBackend } from "./file-backend.js";
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

/** Thrown for a `SLUICE_REGISTRY` this build cannot open. */
export class UnsupportedRegistryError extends Error {
  constructor(url: string) {
    super(`SLUICE_REGISTRY=${url} is not a registry this sluice can open (use "file", or unset it)`);
    this.name = "UnsupportedRegistryError";
  }
}

/** The backend for the workspace at `root`. */
export function registryBackend(root: string, url: string | undefined = process.env["SLUICE_REGISTRY"]): RegistryBackend {
  if (url === undefined || url === "" || url === "file") return new FileBackend(root);
  throw new UnsupportedRegistryError(url);
}

/** A registry handle for the workspace at `root`. */
export async function openRegistry(root: string, options: OpenRegistryOptions = {}): Promise<Registry> {
  await initDigests();
  const backend = registryBackend(root, options.url ?? process.env["SLUICE_REGISTRY"]);
  return new Registry(backend, { actor: options.actor ?? currentActor(root), ...(options.now ? { now: options.now } : {}) });
}
