/**
 * The scratch workspace an experiment builds in: `cache/exp/<name>/`, a
 * copy of the workspace's files (not its outputs, its cache or .git;
 * node_modules linked) whose `cache/` links the workspace's object store,
 * run records and run history. A hit found by either side is a hit for the
 * other, and the workspace's own outputs, sluice.lock and params files are
 * never written.
 *
 *   <ws>/cache/exp/<name>/            the copy
 *   <ws>/cache/exp/<name>/cache/objects       -> <ws>/cache/objects
 *   <ws>/cache/exp/<name>/cache/records       -> <ws>/cache/records
 *   <ws>/cache/exp/<name>/cache/history.jsonl -> <ws>/cache/history.jsonl
 *
 * The copy's stat cache, record index, temp space and lock are its own.
 */
import { spawnSync } from "node:child_process";
import { constants, cpSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { cacheLayout } from "../cache/index.js";
import type { Workspace } from "../pipeline/index.js";
import { ok } from "../util/result.js";
import { refuse, type OpResult } from "./failure.js";

/** The folder holding every scratch workspace. */
export function scratchRoot(root: string): string {
  return join(cacheLayout(root).dir, "exp");
}

/** Top-level entries never copied: the cache (the copy links it), git's store, installed packages (linked). */
const NOT_COPIED = new Set(["cache", ".git", "node_modules"]);

/**
 * A fresh copy of the workspace for experiment `name`, the params files
 * it sets holding `files` (workspace path -> text). Whatever a
 * previous, interrupted attempt left there is replaced.
 */
export function makeScratch(workspace: Workspace, name: string, files: ReadonlyMap<string, string>): OpResult<string> {
  const root = workspace.root;
  const scratch = join(scratchRoot(root), name);
  const outputs = new Set([...workspace.stages.values()].flatMap((s) => s.outs.map((o) => o.path.split("/").join(sep))));
  const linked = linkedFolders(workspace);
  try {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    // Entry by entry: the copy lies inside the workspace, which a copy of the whole root would enter.
    for (const entry of readdirSync(root)) {
      if (NOT_COPIED.has(entry) || outputs.has(entry)) continue;
      if (linked.has(entry)) {
        symlinkSync(realpathSync(join(root, entry)), join(scratch, entry), "junction");
        continue;
      }
      cpSync(join(root, entry), join(scratch, entry), {
        recursive: true,
        // A copy-on-write clone where the filesystem has them, a copy elsewhere.
        mode: constants.COPYFILE_FICLONE,
        verbatimSymlinks: true,
        filter: (source) => !outputs.has(relative(root, source)),
      });
    }
    if (existsSync(join(root, "node_modules"))) symlinkSync(realpathSync(join(root, "node_modules")), join(scratch, "node_modules"), "junction");
    linkSharedCache(root, scratch);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    return refuse("failed", `could not make the experiment's copy of the workspace in ${scratch}: ${(error as Error).message}`);
  }
  for (const [path, text] of files) writeFileSync(join(scratch, path), text);
  return ok(scratch);
}

/**
 * The top-level folders of the workspace a copy links instead of copying:
 * those git ignores that hold nothing a stage declares, such as a `.venv`
 * (gigabytes, and of no use copied: its scripts name the folder they were
 * installed in). Outside a git repository, none.
 */
function linkedFolders(workspace: Workspace): Set<string> {
  const listed = spawnSync("git", ["ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"], { cwd: workspace.root, encoding: "utf8" });
  if (listed.status !== 0) return new Set();
  const ignored = listed.stdout.split("\0").filter((path) => /^[^/]+\/$/.test(path)).map((path) => path.slice(0, -1));
  const declared = new Set(
    [...workspace.stages.values()].flatMap((stage) => [
      ...stage.deps.flatMap((dep) => ("path" in dep ? [dep.path] : [])),
      ...stage.paramsFiles.map((file) => file.path),
      // An output: the build writes there, which through a link would be the workspace's own folder.
      ...stage.outs.map((out) => out.path),
      ...[stage.file, stage.moduleFile, ...(stage.action.kind === "run" && stage.action.module ? [stage.action.module] : [])].map((file) => relative(workspace.root, file)),
    ]).map((path) => path.split("/")[0]),
  );
  return new Set(ignored.filter((folder) => folder !== "cache" && !declared.has(folder)));
}

/** Removes an experiment's copy (its results are in the shared cache). */
export function removeScratch(scratch: string): void {
  rmSync(scratch, { recursive: true, force: true });
}

/** The copy's cache links the workspace's objects, records and history (relative links: the workspace may move). */
function linkSharedCache(root: string, scratch: string): void {
  const shared = cacheLayout(root);
  const own = cacheLayout(scratch);
  mkdirSync(own.dir, { recursive: true });
  for (const [target, link] of [
    [join(shared.dir, "objects"), join(own.dir, "objects")],
    [shared.records, own.records],
  ] as const) {
    mkdirSync(target, { recursive: true });
    symlinkSync(relative(own.dir, target), link, "junction");
  }
  // A link to a history file not yet written: the first append creates it at the workspace's path.
  symlinkSync(relative(own.dir, shared.history), own.history);
}
