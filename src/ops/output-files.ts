/**
 * A stage's output files as one side of a comparison holds them: the
 * workspace's, or a git revision's, found through that revision's
 * `sluice.lock` (the digest of the output holding the file) and the object
 * store, so nothing is checked out or rerun. An object the local cache lacks
 * is fetched from the remote cache when one is configured. `metrics` and
 * `plots` both read through here.
 */
import { readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  digestSize,
  isDigest,
  parseDirManifest,
  parseStageKey,
  type CacheSession,
  type Digest,
  type LockFile,
  type ManifestEntry,
} from "../cache/index.js";
import type { Stage } from "../pipeline/index.js";
import type { Side } from "./tracked-values.js";

/** The most bytes a directory manifest may have to be read. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** A file of a stage's output: its workspace path, the output holding it, and its path below that output when the output is a folder. */
export interface HeldFile {
  readonly path: string;
  readonly out: string;
  /** Undefined when the file (or folder) is the output itself. */
  readonly inner: string | undefined;
}

/**
 * Bytes, or why they cannot be had (a phrase following the file's name).
 * `absent`: the side has no such file (a stage its revision did not have),
 * so its values are absent there, not unknown.
 */
export type FileRead = { ok: true; bytes: Buffer } | { ok: false; problem: string; absent?: true };

/** Reads one side's output files. */
export interface OutputFiles {
  /** The file's bytes, refused over `limit`. */
  read(stage: Stage, file: HeldFile, limit: number): Promise<FileRead>;
  /** The workspace paths of the files below the folder `folder`, sorted. */
  list(stage: Stage, folder: HeldFile): Promise<{ ok: true; paths: string[] } | { ok: false; problem: string }>;
}

/** The output files of `side`: the workspace's own, or those `lock` names in the cache. */
export function outputFiles(root: string, side: Side, lock: LockFile | undefined, cache: CacheSession): OutputFiles {
  return side.kind === "workspace" ? workspaceFiles(root) : new LockedFiles(lock, cache);
}


/** The workspace's output files, as they are on disk. */
export function workspaceFiles(root: string): OutputFiles {
  return {
    async read(_stage, file, limit) {
      const absolute = join(root, file.path);
      try {
        const size = statSync(absolute).size;
        if (size > limit) return { ok: false, problem: `is ${size} bytes, over the ${limit}-byte limit` };
        return { ok: true, bytes: await readFile(absolute) };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, problem: code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (error as Error).message})` };
      }
    },
    async list(_stage, folder) {
      const paths: string[] = [];
      const walk = (rel: string): void => {
        for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
          const path = `${rel}/${entry.name}`;
          if (entry.isDirectory()) walk(path);
          else if (entry.isFile()) paths.push(path);
        }
      };
      try {
        walk(folder.path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, problem: code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (error as Error).message})` };
      }
      return { ok: true, paths: paths.sort() };
    },
  };
}

/** A revision's output files: the lock's digests, read from the local store, else fetched from the remote. */
class LockedFiles implements OutputFiles {
  readonly #lock: LockFile | undefined;
  readonly #cache: CacheSession;
  /** Stages whose record was already asked of the remote. */
  readonly #fetched = new Set<string>();

  constructor(lock: LockFile | undefined, cache: CacheSession) {
    this.#lock = lock;
    this.#cache = cache;
  }

  async read(stage: Stage, file: HeldFile, limit: number): Promise<FileRead> {
    const holder = await this.#holder(stage, file);
    if (!holder.ok) return holder;
    let digest = holder.digest;
    if (file.inner !== undefined) {
      const entries = await this.#entries(stage, holder.digest, holder.path);
      if (!entries.ok) return entries;
      const entry = entries.files.find(([name]) => name === file.inner);
      if (!entry) return { ok: false, problem: `is not in ${holder.path} as that revision made it`, absent: true };
      digest = entry[1];
    }
    return this.#object(stage, digest, limit);
  }

  async list(stage: Stage, folder: HeldFile): Promise<{ ok: true; paths: string[] } | { ok: false; problem: string }> {
    const holder = await this.#holder(stage, folder);
    if (!holder.ok) return holder;
    const entries = await this.#entries(stage, holder.digest, holder.path);
    if (!entries.ok) return entries;
    const prefix = folder.inner === undefined ? "" : `${folder.inner}/`;
    const paths = entries.files.filter(([name]) => name.startsWith(prefix)).map(([name]) => `${folder.path}/${name.slice(prefix.length)}`);
    return { ok: true, paths: paths.sort() };
  }

  /** The digest the lock names for the output holding `file`. */
  async #holder(stage: Stage, file: HeldFile): Promise<{ ok: true; digest: Digest; path: string } | { ok: false; problem: string; absent: true }> {
    const holder = stage.outs.find((o) => o.name === file.out);
    const locked = this.#lock?.stages[stage.id]?.outs.find((o) => o.path === holder?.path);
    if (!holder || !locked || typeof locked.digest !== "string" || !isDigest(locked.digest)) {
      return { ok: false, problem: "is not in that revision's sluice.lock", absent: true };
    }
    return { ok: true, digest: locked.digest, path: holder.path };
  }

  /** The entries of a directory output's manifest, names with "/". */
  async #entries(stage: Stage, digest: Digest, path: string): Promise<{ ok: true; files: ManifestEntry[] } | { ok: false; problem: string }> {
    const manifest = await this.#object(stage, digest, MAX_MANIFEST_BYTES);
    if (!manifest.ok) return manifest;
    const parsed = parseDirManifest(manifest.bytes);
    if (!parsed.ok) return { ok: false, problem: `cannot be found: ${path} ${parsed.problem}` };
    return { ok: true, files: parsed.files.map(([name, d]): ManifestEntry => [name.split("\\").join("/"), d]) };
  }

  async #object(stage: Stage, digest: Digest, limit: number): Promise<FileRead> {
    if (digestSize(digest) > limit) return { ok: false, problem: `is ${digestSize(digest)} bytes, over the ${limit}-byte limit` };
    let read = await this.#cache.store.readVerified(digest);
    if (!read.ok && read.problem.reason === "missing-object" && (await this.#fetch(stage))) read = await this.#cache.store.readVerified(digest);
    if (read.ok) return read;
    if (read.problem.reason !== "missing-object") return { ok: false, problem: "is corrupt in the local cache" };
    return {
      ok: false,
      problem: this.#cache.remote
        ? `is neither in the local cache nor in the remote cache ${this.#cache.remote.label}`
        : "is not in the local cache (run that revision's pipeline here, or pull its results from the remote cache with --remote-cache)",
    };
  }

  /** Asks the remote cache, once per stage, for the run the lock names: its record and objects land in the local store. */
  async #fetch(stage: Stage): Promise<boolean> {
    const remote = this.#cache.remote;
    const key = parseStageKey(this.#lock?.stages[stage.id]?.key ?? "");
    if (!remote || !key || this.#fetched.has(stage.id)) return false;
    this.#fetched.add(stage.id);
    return (await remote.fetch(key, stage.outs, this.#cache, () => undefined)) !== undefined;
  }
}
