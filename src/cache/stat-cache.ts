/**
 * Remembers the digest of a file by (size, mtime, inode) so a no-op run does
 * not re-read big inputs. An entry whose mtime is too close to the moment it
 * was recorded is not trusted (the file may have changed again within the
 * filesystem's timestamp granularity) and is rehashed once.
 */
import { readFileSync, statSync, type Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { canonicalJson } from "../util/canonical-json.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { digestFile, digestString, type Digest } from "./digest.js";

/** [size, mtimeMs, ino, digest, recordedAtMs] */
type Entry = [number, number, number, Digest, number];

/** Timestamps this close to the recording time may hide a later write. */
const RACY_MS = 50;

export class StatCache {
  readonly #file: string;
  readonly #root: string;
  readonly #entries: Map<string, Entry>;
  #dirty = false;
  /** Files hashed (not served from the cache) since load, for tests and benchmarks. */
  hashed = 0;

  private constructor(file: string, root: string, entries: Map<string, Entry>) {
    this.#file = file;
    this.#root = root;
    this.#entries = entries;
  }

  /** Loads the cache; a missing or unreadable file is an empty cache. */
  static load(file: string, workspaceRoot: string): StatCache {
    let entries = new Map<string, Entry>();
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { version?: number; entries?: Record<string, Entry> };
      if (parsed.version === 1 && parsed.entries) entries = new Map(Object.entries(parsed.entries));
    } catch {
      // first run, or a torn file: start empty, everything is rehashed once
    }
    return new StatCache(file, workspaceRoot, entries);
  }

  /**
   * Digest of a workspace file or directory, or undefined when it does not
   * exist. The stat is synchronous on purpose: a no-op run makes thousands of
   * them, and a thread-pool round trip costs more than the syscall itself.
   */
  async digest(relPath: string): Promise<Digest | undefined> {
    const absolute = join(this.#root, relPath);
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (!info) return undefined;
    if (info.isDirectory()) return (await this.directory(relPath))?.digest;
    return this.#fileDigest(relPath, absolute, info);
  }

  /** Digest of a directory: its manifest of relative paths and file digests. */
  async directory(relPath: string): Promise<{ digest: Digest; manifest: string } | undefined> {
    const absolute = join(this.#root, relPath);
    const files: [string, Digest][] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) {
          const rel = relative(this.#root, path);
          files.push([relative(absolute, path), await this.#fileDigest(rel, path, await stat(path))]);
        }
      }
    };
    try {
      await walk(absolute);
    } catch {
      return undefined;
    }
    const manifest = directoryManifest(files);
    return { digest: digestString(manifest), manifest };
  }

  /** Records a digest we already know (an output we just wrote or restored). */
  remember(relPath: string, info: Stats, digest: Digest): void {
    this.#entries.set(relPath, [info.size, info.mtimeMs, info.ino, digest, Date.now()]);
    this.#dirty = true;
  }

  /** Same as `remember`, stat-ing the file now. */
  rememberNow(relPath: string, digest: Digest): void {
    this.remember(relPath, statSync(join(this.#root, relPath)), digest);
  }

  forget(relPath: string): void {
    if (this.#entries.delete(relPath)) this.#dirty = true;
  }

  /** Writes the cache if anything changed. */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    writeFileAtomicSync(this.#file, JSON.stringify({ version: 1, entries: Object.fromEntries(this.#entries) }));
    this.#dirty = false;
  }

  async #fileDigest(relPath: string, absolute: string, info: Stats): Promise<Digest> {
    const entry = this.#entries.get(relPath);
    if (
      entry &&
      entry[0] === info.size &&
      entry[1] === info.mtimeMs &&
      entry[2] === info.ino &&
      entry[4] - info.mtimeMs > RACY_MS
    ) {
      return entry[3];
    }
    const digest = await digestFile(absolute);
    this.hashed++;
    this.remember(relPath, info, digest);
    return digest;
  }
}

/** The canonical text of a directory artifact: sorted relative paths and their digests. */
export function directoryManifest(files: readonly (readonly [string, Digest])[]): string {
  return canonicalJson({ kind: "dir", files: [...files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) });
}
