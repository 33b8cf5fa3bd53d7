/**
 * The shadow directory a stage runs in: a tree shaped like the workspace
 * holding only the stage's declared deps (as links) and room for its
 * declared outputs. A `cmd` stage's working directory is its project folder
 * inside the shadow, so relative paths behave as in the workspace; an input
 * that was not declared is simply not there, and a file written anywhere but
 * a declared output is found afterwards and reported by name. Only declared
 * outputs are moved back into the workspace.
 *
 * Shadows are reused, one per running stage: between stages only the links
 * and stray files are removed, while folders stay. Creating and deleting a
 * fresh tree per stage made filesystem metadata, not the commands, the cost
 * of a thousand cheap stages. Calls here are synchronous for the same
 * reason: a dozen small syscalls in sequence cost less than as many
 * thread-pool round trips.
 */
import { linkSync, mkdirSync, readdirSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync, type Dirent } from "node:fs";
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
    const shadow = this.#idle.pop() ?? { root: join(this.#base, `shadow-${this.#count++}`), cwd: "", made: new Set<string>(), links: [] };
    for (const dep of linkDeps ? stage.deps : []) {
      if (dep.kind === "external") continue;
      const link = join(shadow.root, dep.path);
      if (shadow.links.includes(link)) continue; // two deps naming one path share a link
      ensureDir(shadow, dirname(link));
      linkDep(join(workspaceRoot, dep.path), link);
      shadow.links.push(link);
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
  // Never through a linked dep: a folder linked in would carry the write into the workspace, and
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
      if (declared.has(rel) || links.has(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else found.push(rel);
    }
  };
  walk(shadow.root);
  return found.sort();
}

/**
 * Links one dep into a shadow: a hard link where the filesystem allows it,
 * else a symlink (a folder, another filesystem, a file the user may not
 * link). A hard link has no real place elsewhere, so tools that resolve
 * links (Node, Python) do not find a script's undeclared neighbours in the
 * workspace. It also allocates no inode, so releasing it frees none: on a
 * filesystem without a journal ext4 skips recently freed inodes one by one
 * when it allocates, and a symlink made and dropped per dep made every file
 * of a cold run slower to create than the last.
 */
function linkDep(target: string, link: string): void {
  try {
    linkSync(target, link);
  } catch {
    symlinkSync(target, link);
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
