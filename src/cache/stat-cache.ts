/**
 * Remembers the digest of a file so a no-op run does not re-read big inputs.
 *
 * The trust rule: a remembered digest is reused only when the file's size,
 * mtime and ctime, inode and device all match what they were when it was
 * hashed, and neither timestamp was too close to the moment of that stat.
 * Otherwise the file is hashed again.
 *
 * Timestamps are compared as Node reports them by default (milliseconds as
 * doubles, a quarter of a microsecond apart at today's dates), not as
 * bigint nanoseconds: finer would decide nothing more, since a remembered
 * ctime is older than its stat by more than the racy margin and any later
 * write stamps a ctime at or after that stat. Measured on a 1000-stage
 * no-op against the (size, mtime, inode) rule: bigint stats +6.5% CPU,
 * these +2-3%.
 *
 * ctime is what makes the rule hold against ordinary tools: `touch -d`,
 * `rsync -t --inplace`, `cp -p` or an unpacked archive can put back an old
 * mtime after writing new bytes of the same length, but every write and
 * every time change sets ctime to the current time, and nothing short of
 * changing the clock sets it back. The racy check covers the filesystem's
 * timestamp granularity: a file written again within the same tick as the
 * stat keeps its timestamps, so an entry is only kept when both stamps are
 * older than the stat by more than one tick (generously: `RACY_MS`, or two
 * seconds on filesystems that store whole seconds).
 *
 * Keeping that decision at recording time means an entry in the file is
 * always one that may be trusted; a racy file is simply hashed again next
 * time (an output just written is, once).
 */
import { readFileSync, readlinkSync, realpathSync, statSync, type Stats } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { digestFile, digestString, type Digest } from "./digest.js";
import { directoryManifest, manifestEntry, type ManifestEntry } from "./dir-manifest.js";

/**
 * A symlink inside a folder that the folder's digest cannot follow: it
 * leads outside the workspace, nowhere, or back to a folder holding it.
 */
export interface UnfollowedLink {
  /** The link's workspace-relative path. */
  readonly link: string;
  /** What the link says it points to, as written. */
  readonly target: string;
  readonly why: "outside" | "dangling" | "loop";
}

/** [size, mtimeMs, ctimeMs, inode, device, digest] */
type Entry = [number, number, number, number, number, Digest];

/** On-disk format; entries of another version are dropped and their files rehashed once. */
const VERSION = 2;

/** Timestamps this close to the stat may hide a later write within the same tick. */
const RACY_MS = 50;

/** The same, for filesystems whose timestamps stop at whole milliseconds or coarser (FAT keeps 2 s). */
const COARSE_RACY_MS = 2000;

export class StatCache {
  readonly #file: string;
  readonly #root: string;
  readonly #entries: Map<string, Entry>;
  /** The workspace root with its symlinks resolved, once a link inside a folder needs it. */
  #realRoot: string | undefined;
  #dirty = false;
  /** Files hashed (not served from the cache) since load, for tests and benchmarks. */
  hashed = 0;

  private constructor(file: string, root: string, entries: Map<string, Entry>) {
    this.#file = file;
    this.#root = root;
    this.#entries = entries;
  }

  /** Loads the cache; a missing, unreadable or older-format file is an empty cache. */
  static load(file: string, workspaceRoot: string): StatCache {
    let entries = new Map<string, Entry>();
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { version?: number; entries?: Record<string, Entry> };
      if (parsed.version === VERSION && parsed.entries) entries = new Map(Object.entries(parsed.entries));
    } catch {
      // first run, or a torn file: start empty, everything is rehashed once
    }
    return new StatCache(file, workspaceRoot, entries);
  }

  /**
   * Digest of a workspace file or directory, or undefined when it does not
   * exist or is a folder holding a link its digest cannot follow (see
   * `inspect`: a workspace output holding one is not what any record says).
   */
  async digest(relPath: string): Promise<Digest | undefined> {
    const found = await this.inspect(relPath);
    return found !== undefined && "digest" in found ? found.digest : undefined;
  }

  /**
   * The digest of a workspace file or directory, undefined when it does not
   * exist, or the link inside a folder that keeps it from having one. The
   * stat is synchronous on purpose: a no-op run makes thousands of them, and
   * a thread-pool round trip costs more than the syscall itself.
   */
  async inspect(relPath: string): Promise<{ digest: Digest } | { link: UnfollowedLink } | undefined> {
    const absolute = join(this.#root, relPath);
    const statAt = Date.now();
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (!info) return undefined;
    if (info.isDirectory()) return this.#directory(relPath);
    return { digest: await this.#fileDigest(relPath, absolute, info, statAt) };
  }

  /**
   * Digest of a directory: its manifest of relative paths and file digests.
   * A symlink inside counts as what it points to, under the link's name, as
   * a copy would: the stage reads through it, so its target's bytes are part
   * of the folder. Its stat-cache entry holds the target's stats (the stat
   * follows the link), so an edit of the target or a link pointed elsewhere
   * (another inode) is hashed again; where it leads is resolved on every
   * walk, so a link turned outside the workspace is seen at once. A link
   * leading outside the workspace, nowhere, or to a folder holding it has
   * no digest the cache could trust, and the walk stops at it. A folder
   * without links has the digest it always had.
   */
  async #directory(relPath: string): Promise<{ digest: Digest } | { link: UnfollowedLink } | undefined> {
    const absolute = join(this.#root, relPath);
    const files: ManifestEntry[] = [];
    const dirs: string[] = [];
    // Real paths of the folders being walked, to see a link that leads back into one of them.
    const walking: string[] = [];
    const walk = async (dir: string, real: string): Promise<UnfollowedLink | undefined> => {
      walking.push(real);
      const entries = await readdir(dir, { withFileTypes: true });
      if (entries.length === 0 && dir !== absolute) dirs.push(relative(absolute, dir));
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          const unfollowed = await walk(path, join(real, entry.name));
          if (unfollowed) return unfollowed;
        } else if (entry.isFile()) {
          const statAt = Date.now();
          const info = statSync(path);
          files.push(manifestEntry(relative(absolute, path), await this.#fileDigest(relative(this.#root, path), path, info, statAt), info));
        } else if (entry.isSymbolicLink()) {
          const unfollowed = await this.#followLink(path, absolute, files, walking, walk);
          if (unfollowed) return unfollowed;
        }
      }
      walking.pop();
      return undefined;
    };
    try {
      const unfollowed = await walk(absolute, realpathSync(absolute));
      if (unfollowed) return { link: unfollowed };
    } catch {
      return undefined;
    }
    return { digest: digestString(directoryManifest({ files, dirs })) };
  }

  /** Adds what the symlink at `path` leads to (a file, or a folder walked in its place), or says why it cannot. */
  async #followLink(
    path: string,
    folder: string,
    files: ManifestEntry[],
    walking: readonly string[],
    walk: (dir: string, real: string) => Promise<UnfollowedLink | undefined>,
  ): Promise<UnfollowedLink | undefined> {
    this.#realRoot ??= realpathSync(this.#root);
    const realRoot = this.#realRoot;
    // Named by its real folder: reached through a link to a folder, `path` may wind through a loop.
    const unfollowed = (why: UnfollowedLink["why"]): UnfollowedLink => ({
      link: relative(realRoot, join(realpathSync(dirname(path)), basename(path))),
      target: readlinkSync(path),
      why,
    });
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return unfollowed("dangling");
    }
    if (real !== realRoot && !real.startsWith(`${realRoot}${sep}`)) return unfollowed("outside");
    const statAt = Date.now();
    const info = statSync(path);
    if (info.isDirectory()) return walking.includes(real) ? unfollowed("loop") : walk(path, real);
    if (!info.isFile()) return undefined; // a link to a socket or a device is skipped like the thing itself
    files.push(manifestEntry(relative(folder, path), await this.#fileDigest(relative(this.#root, path), path, info, statAt), info));
    return undefined;
  }

  /**
   * Records a digest we already know (an output we just wrote or restored),
   * stat-ing the file now. A file written this moment is racy, so this
   * usually forgets the path instead; it matters for files that kept old
   * timestamps (a restore on a filesystem that copies them).
   */
  rememberNow(relPath: string, digest: Digest): void {
    const statAt = Date.now();
    const info = statSync(join(this.#root, relPath), { throwIfNoEntry: false });
    if (info) this.#record(relPath, info, statAt, digest);
    else this.forget(relPath);
  }

  forget(relPath: string): void {
    if (this.#entries.delete(relPath)) this.#dirty = true;
  }

  /** Writes the cache if anything changed. */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    writeFileAtomicSync(this.#file, JSON.stringify({ version: VERSION, entries: Object.fromEntries(this.#entries) }));
    this.#dirty = false;
  }

  async #fileDigest(relPath: string, absolute: string, info: Stats, statAt: number): Promise<Digest> {
    const entry = this.#entries.get(relPath);
    if (
      entry &&
      entry[0] === info.size &&
      entry[1] === info.mtimeMs &&
      entry[2] === info.ctimeMs &&
      entry[3] === info.ino &&
      entry[4] === info.dev
    ) {
      return entry[5];
    }
    // Hashed after the stat: a write while it reads changes ctime, so the
    // entry recorded below no longer matches and the file is hashed again.
    const digest = await digestFile(absolute);
    this.hashed++;
    this.#record(relPath, info, statAt, digest);
    return digest;
  }

  /** Keeps `digest` for the file as `info` saw it, only when the stat at `statAt` may be trusted later. */
  #record(relPath: string, info: Stats, statAt: number, digest: Digest): void {
    if (!racy(info, statAt)) {
      this.#entries.set(relPath, [info.size, info.mtimeMs, info.ctimeMs, info.ino, info.dev, digest]);
      this.#dirty = true;
    } else this.forget(relPath);
  }
}

/**
 * True when a write right after the stat at `statAt` (ms since the epoch)
 * could have left the timestamps as they were: either stamp is within one
 * timestamp tick of the stat, or in the future.
 */
function racy(info: Stats, statAt: number): boolean {
  const coarse = Number.isInteger(info.mtimeMs) && Number.isInteger(info.ctimeMs);
  return statAt - Math.max(info.mtimeMs, info.ctimeMs) <= (coarse ? COARSE_RACY_MS : RACY_MS);
}
