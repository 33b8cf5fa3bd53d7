/**
 * The content-addressed object store under `cache/objects/<2 hex>/<digest>`.
 *
 * Writes go to a temp file in `cache/tmp/` and are renamed into place, so a
 * killed process never leaves a half object under a real name. There is no
 * fsync per object: an object damaged by power loss is caught when it is
 * restored, because every restore verifies the digest of what it copied.
 */
import { constants, copyFileSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { digestBytes, digestFile, digestSize, isDigest, type Digest } from "./digest.js";

/** Objects up to this size are copied synchronously (cheaper than a thread-pool round trip). */
const SMALL = 1 << 20;

/** Why an object could not be served. */
export type ObjectProblem =
  | { readonly reason: "missing-object"; readonly digest: Digest }
  | { readonly reason: "corrupt-object"; readonly digest: Digest; readonly actual: Digest };

export class ObjectStore {
  readonly #dir: string;
  readonly #tmp: string;
  #counter = 0;
  readonly #made = new Set<string>();

  /** `cacheDir` is the workspace's `cache/`. */
  constructor(cacheDir: string) {
    this.#dir = join(cacheDir, "objects");
    this.#tmp = join(cacheDir, "tmp");
  }

  /** Where an object lives (whether or not it exists). */
  pathOf(digest: Digest): string {
    return join(this.#dir, digest.slice(0, 2), digest);
  }

  async has(digest: Digest): Promise<boolean> {
    return statSync(this.pathOf(digest), { throwIfNoEntry: false })?.isFile() === true;
  }

  /** A fresh temp path on the store's filesystem, so a rename into place is atomic. */
  async tempPath(label: string): Promise<string> {
    this.#ensureDir(this.#tmp);
    return join(this.#tmp, `${process.pid}-${Date.now().toString(36)}-${this.#counter++}-${label.replace(/[^\w.-]/g, "_")}`);
  }

  /**
   * Stores a copy of `file` whose digest is already known. The copy is a
   * reflink where the filesystem supports it; never a hardlink, which a
   * later edit of the workspace file would silently corrupt.
   */
  async putFile(file: string, digest: Digest): Promise<void> {
    if (await this.has(digest)) return;
    const temp = await this.tempPath(digest);
    if (digestSize(digest) <= SMALL) copyFileSync(file, temp, constants.COPYFILE_FICLONE);
    else await copyFile(file, temp, constants.COPYFILE_FICLONE);
    await this.#publish(temp, digest);
  }

  /** Stores bytes held in memory and returns their digest. */
  async putBytes(bytes: Uint8Array): Promise<Digest> {
    const digest = digestBytes(bytes);
    if (await this.has(digest)) return digest;
    const temp = await this.tempPath(digest);
    writeFileSync(temp, bytes);
    await this.#publish(temp, digest);
    return digest;
  }

  /**
   * Moves a file written at a `tempPath()` into the store as `digest`; the
   * caller has hashed it (a download is hashed as it arrives).
   */
  async adopt(temp: string, digest: Digest): Promise<void> {
    if (await this.has(digest)) {
      await rm(temp, { force: true });
      return;
    }
    await this.#publish(temp, digest);
  }

  /** Reads an object whole, verifying its digest. */
  async readVerified(digest: Digest): Promise<{ ok: true; bytes: Buffer } | { ok: false; problem: ObjectProblem }> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(digest));
    } catch {
      return { ok: false, problem: { reason: "missing-object", digest } };
    }
    const actual = digestBytes(bytes);
    if (actual !== digest) return { ok: false, problem: { reason: "corrupt-object", digest, actual } };
    return { ok: true, bytes };
  }

  /**
   * Copies an object to `dest` atomically (temp beside it, then rename),
   * verifying the copy's digest first. A corrupt object is deleted from the
   * store so the next run rebuilds it instead of tripping over it again.
   */
  async restore(digest: Digest, dest: string): Promise<ObjectProblem | undefined> {
    await mkdir(dirname(dest), { recursive: true });
    const temp = `${dest}.sluice-${process.pid}-${this.#counter++}`;
    try {
      await copyFile(this.pathOf(digest), temp, constants.COPYFILE_FICLONE);
    } catch {
      return { reason: "missing-object", digest };
    }
    const actual = await digestFile(temp);
    if (actual !== digest) {
      await rm(temp, { force: true });
      await rm(this.pathOf(digest), { force: true });
      return { reason: "corrupt-object", digest, actual };
    }
    await rename(temp, dest);
    return undefined;
  }

  /** Every digest in the store. */
  async list(): Promise<Digest[]> {
    const found: Digest[] = [];
    let shards: string[];
    try {
      shards = await readdir(this.#dir);
    } catch {
      return found;
    }
    for (const shard of shards) {
      for (const name of await readdir(join(this.#dir, shard)).catch(() => [] as string[])) {
        if (isDigest(name)) found.push(name);
      }
    }
    return found.sort();
  }

  async remove(digest: Digest): Promise<void> {
    await unlink(this.pathOf(digest)).catch(() => undefined);
  }

  async #publish(temp: string, digest: Digest): Promise<void> {
    const target = this.pathOf(digest);
    this.#ensureDir(dirname(target));
    renameSync(temp, target);
  }

  /** Creates a folder once per process; stores make thousands of objects in a few hundred shards. */
  #ensureDir(dir: string): void {
    if (this.#made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.#made.add(dir);
  }
}
