/**
 * Answers, for the thousands of paths a pipeline declares, whether each
 * exists and whether it stays inside the workspace once symlinks are
 * followed. Each folder is listed once (one readdir stands for an lstat of
 * every entry in it: a thousand inputs usually share a handful of folders)
 * and resolved once. A probe is made per validation, so a watcher that
 * validates again after files changed sees them as they are now.
 */
import { lstatSync, readdirSync, realpathSync, type Dirent } from "node:fs";
import { basename, dirname, join, sep } from "node:path";

export type EntryKind = "missing" | "symlink" | "present";

/** A folder that exists but cannot be listed (no read permission): its entries are lstat-ed one by one. */
const UNLISTABLE = "unlistable";

export class PathProbe {
  readonly #realRoot: string;
  readonly #listings = new Map<string, ReadonlyMap<string, Dirent> | null | typeof UNLISTABLE>();
  readonly #realFolders = new Map<string, string>();

  constructor(root: string) {
    this.#realRoot = realpathSync(root);
  }

  /** What is at `path` itself (a symlink is not followed). */
  kind(path: string): EntryKind {
    const dir = dirname(path);
    if (dir === path) return "present"; // the filesystem root
    const listing = this.#listing(dir);
    const entry = listing === UNLISTABLE ? lstatSync(path, { throwIfNoEntry: false }) : listing?.get(basename(path));
    return !entry ? "missing" : entry.isSymbolicLink() ? "symlink" : "present";
  }

  /**
   * Whether `path` (or, when it does not exist yet, its nearest existing
   * ancestor) resolves inside the workspace. A symlink that leads nowhere
   * resolves nowhere, so it is not inside.
   */
  inside(path: string): boolean {
    let existing = path;
    let kind = this.kind(existing);
    while (kind === "missing") {
      existing = dirname(existing);
      kind = this.kind(existing);
    }
    let real: string;
    try {
      real = kind === "symlink" ? realpathSync(existing) : join(this.#realFolder(dirname(existing)), basename(existing));
    } catch {
      return false;
    }
    return real === this.#realRoot || real.startsWith(`${this.#realRoot}${sep}`);
  }

  #listing(dir: string): ReadonlyMap<string, Dirent> | null | typeof UNLISTABLE {
    let listing = this.#listings.get(dir);
    if (listing === undefined) {
      try {
        listing = new Map(readdirSync(dir, { withFileTypes: true }).map((entry) => [entry.name, entry]));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        listing = code === "ENOENT" || code === "ENOTDIR" ? null : UNLISTABLE;
      }
      this.#listings.set(dir, listing);
    }
    return listing;
  }

  #realFolder(dir: string): string {
    let real = this.#realFolders.get(dir);
    if (real === undefined) {
      real = realpathSync(dir);
      this.#realFolders.set(dir, real);
    }
    return real;
  }
}
