/**
 * The shadow directory a stage runs in: a tree shaped like the workspace
 * holding only the stage's declared deps (as links) and room for its
 * declared outputs. A folder dep is a real folder of links to its files,
 * never a link to the workspace's folder, so `{deps.data}/../x` stays in the
 * shadow. A `cmd` stage's working directory is its project folder inside
 * the shadow, so relative paths behave as in the workspace; an input that
 * was not declared is simply not there, and a file written anywhere but a
 * declared output is found afterwards and reported by name. Only declared
 * outputs are moved back into the workspace.
 *
 * Shadows are reused, one per running stage: between stages only the links,
 * the folder deps' trees and stray files are removed, while other folders
 * stay. Creating and deleting a fresh tree per stage made filesystem
 * metadata, not the commands, the cost of a thousand cheap stages. Calls
 * here are synchronous for the same reason: a dozen small syscalls in
 * sequence cost less than as many thread-pool round trips.
 */
import { linkSync, lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, type Dirent } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { Stage } from "../pipeline/index.js";

/** One shadow tree, lent to one stage at a time. */
export interface Shadow {
  /** The shadow's root, standing in for the workspace root. */
  readonly root: string;
  /** The command's working directory: the stage's project folder (or its `wdir`) inside the shadow. */
  cwd: string;
  /** Folders known to exist. */
  readonly made: Set<string>;
  /** Links made for the current stage. */
  readonly links: string[];
  /** The folder deps laid out for the current stage: removed whole on release. */
  readonly trees: string[];
  /** Shadow-relative paths of the files linked inside `trees` (not strays). */
  readonly treeFiles: Set<string>;
}

export class ShadowPool {
  readonly #base: string;
  readonly #idle: Shadow[] = [];
  #count = 0;

  /** `base` is a temp folder of this invocation on the workspace's filesystem. */
  constructor(base: string) {
    this.#base = base;
  }

  /**
   * A clean shadow laid out for `stage`: output folders made and, for a
   * command (`linkDeps`), deps linked in.
   */
  acquire(workspaceRoot: string, stage: Stage, linkDeps: boolean): Shadow {
    const shadow = this.#idle.pop() ?? {
      root: join(this.#base, `shadow-${this.#count++}`),
      cwd: "",
      made: new Set<string>(),
      links: [],
      trees: [],
      treeFiles: new Set<string>(),
    };
    for (const dep of linkDeps ? stage.deps : []) {
      if (dep.kind === "external") continue;
      const link = join(shadow.root, dep.path);
      // Two deps naming one path share a link; a file dep inside a folder dep is linked once.
      if (shadow.links.includes(link) || shadow.trees.includes(link) || shadow.treeFiles.has(dep.path)) continue;
      ensureDir(shadow, dirname(link));
      linkDep(shadow, join(workspaceRoot, dep.path), link);
    }
    for (const out of stage.outs) ensureDir(shadow, out.kind === "dir" ? join(shadow.root, out.path) : dirname(join(shadow.root, out.path)));
    shadow.cwd = stage.wdir === undefined ? join(shadow.root, relative(workspaceRoot, stage.projectDir)) : join(shadow.root, stage.wdir);
    ensureDir(shadow, shadow.cwd);
    return shadow;
  }

  /**
   * Empties the shadow for the next stage: links, leftover outputs and stray
   * files go, folders stay. `strays` is what `strayFiles` just found, when
   * the caller looked; otherwise the shadow is walked here. A shadow that
   * cannot be cleaned is dropped.
   */
  release(shadow: Shadow, stage: Stage, strays?: readonly string[]): void {
    try {
      for (const link of shadow.links) unlinkSync(link);
      shadow.links.length = 0;
      // Whole, folders included: a folder left behind could stand where a later stage writes a file.
      for (const tree of shadow.trees) rmSync(tree, { recursive: true, force: true });
      if (shadow.trees.length > 0) shadow.made.clear();
      shadow.trees.length = 0;
      shadow.treeFiles.clear();
      for (const out of stage.outs) {
        const path = join(shadow.root, out.path);
        if (out.kind === "dir") rmSync(path, { recursive: true, force: true });
        else unlinkIfPresent(path); // usually moved out already; rmSync costs a tree walk's setup per call
      }
      if (hasDirOutput(stage)) shadow.made.clear();
      for (const stray of strays ?? strayFiles(shadow, stage)) rmSync(join(shadow.root, stray), { force: true });
      this.#idle.push(shadow);
    } catch {
      // dropped: the invocation's temp folder is removed at the end anyway
    }
  }
}

/**
 * Writes a file the stage reads but the workspace does not hold as such (a
 * params file cut down to the keys the stage names) at its workspace path
 * in the shadow. It goes with the links when the shadow is released, and is
 * no stray: whatever the stage does to it never reaches the workspace.
 */
export function placeFile(shadow: Shadow, workspacePath: string, text: string): void {
  const path = join(shadow.root, workspacePath);
  ensureDir(shadow, dirname(path));
  // Never through a linked dep: a symlinked folder would carry the write into the workspace, and
  // "wx" refuses a path a dep already holds (a hard link shares the workspace file's bytes).
  const inside = realpathSync(dirname(path));
  const root = realpathSync(shadow.root);
  if (inside !== root && !inside.startsWith(`${root}${sep}`)) throw new Error(`${workspacePath} would be written through a linked dep`);
  writeFileSync(path, text, { flag: "wx" });
  shadow.links.push(path);
}

/** Workspace-relative paths of files a stage wrote outside its declared outputs. */
export function strayFiles(shadow: Shadow, stage: Stage): string[] {
  const declared = new Set(stage.outs.map((o) => o.path));
  const links = new Set(shadow.links.map((l) => relative(shadow.root, l)));
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(shadow.root, path);
      if (declared.has(rel) || links.has(rel) || shadow.treeFiles.has(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else found.push(rel);
    }
  };
  walk(shadow.root);
  return found.sort();
}

/**
 * Links one dep into a shadow: a file as a hard link where the filesystem
 * allows it, else a symlink (another filesystem, a file the user may not
 * link). A hard link has no real place elsewhere, so tools that resolve
 * links (Node, Python) do not find a script's undeclared neighbours in the
 * workspace. It also allocates no inode, so releasing it frees none: on a
 * filesystem without a journal ext4 skips recently freed inodes one by one
 * when it allocates, and a symlink made and dropped per dep made every file
 * of a cold run slower to create than the last. A folder is laid out as a
 * real folder (`linkTree`); a hard link to a folder fails, so only then is
 * the dep stat-ed (a file dep costs one lstat more, to see a symlink).
 */
function linkDep(shadow: Shadow, declared: string, link: string): void {
  // A symlinked source is linked as what it points to: a hard link to the link itself would look
  // for a relative target beside it in the shadow, where it is not.
  const target = lstatSync(declared, { throwIfNoEntry: false })?.isSymbolicLink() ? realpathOr(declared) : declared;
  try {
    linkSync(target, link);
    shadow.links.push(link);
    return;
  } catch {
    // a folder, or a file that cannot be hard-linked here
  }
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    shadow.trees.push(link);
    linkTree(shadow, target, link, [realpathSync(target)]);
    return;
  }
  symlinkSync(target, link);
  shadow.links.push(link);
}

/**
 * Lays out the folder `from` at `to` as real folders holding a link to each
 * file, so `..` from inside it stays in the shadow. A symlink inside counts
 * as what it points to, as in the folder's digest (the stat cache refuses
 * one leading outside the workspace before a stage runs); one leading back
 * into a folder being laid out is skipped, and the inputs' check when the
 * stage ends fails it. A file already linked by a file dep is kept.
 */
function linkTree(shadow: Shadow, from: string, to: string, walking: string[]): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    let source = join(from, entry.name);
    const link = join(to, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const real = realpathSync(source);
      const info = statSync(real);
      if (info.isDirectory() && walking.includes(real)) continue;
      [source, isDir] = [real, info.isDirectory()];
    } else if (!isDir && !entry.isFile()) continue;
    if (isDir) {
      walking.push(realpathSync(source));
      linkTree(shadow, source, link, walking);
      walking.pop();
      continue;
    }
    try {
      linkSync(source, link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      symlinkSync(source, link);
    }
    shadow.treeFiles.add(relative(shadow.root, link));
  }
}

/** The real path of `path`, or `path` itself when it leads nowhere (the link made for it then fails the command, not the run). */
function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function ensureDir(shadow: Shadow, dir: string): void {
  if (shadow.made.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  for (let d = dir; d.startsWith(shadow.root) && !shadow.made.has(d); d = dirname(d)) shadow.made.add(d);
}

/** A directory output is moved away whole, taking its folder: the cache of made folders is then stale. */
function hasDirOutput(stage: Stage): boolean {
  return stage.outs.some((o) => o.kind === "dir");
}
