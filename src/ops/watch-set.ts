/**
 * What `sluice watch` reacts to: the files a stage key can depend on. A
 * change anywhere else (notes, a README, a file no stage declares) cannot
 * change what a run would do, so it starts no cycle.
 *
 * The set is derived from the loaded workspace: every declared source (a
 * file, or everything under a folder), every params file, every module the pipeline files and
 * stage functions reach (their code identity, found by the same import scan),
 * and the package manifests (package versions are part of code identity).
 * A cycle's `sluice run` child writes the set it loaded to the file named by
 * SLUICE_WATCH_SET, so an edit that declares a new source is watched from the
 * next cycle on, without the watcher re-importing pipeline modules (ES
 * modules cannot be unloaded in place).
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { cacheLayout } from "../cache/index.js";
import { importClosure, type Workspace } from "../pipeline/index.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";

/** Workspace-relative paths (with `/`) a change to which may change a run. */
export interface WatchSet {
  /** Files watched exactly. */
  readonly files: readonly string[];
  /** Folders whose whole content is watched (directory sources). */
  readonly folders: readonly string[];
}

/** The environment variable through which a watch cycle's run reports its set. */
export const WATCH_SET_ENV = "SLUICE_WATCH_SET";

const MANIFESTS = ["package.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"];

/** The watch set of a loaded workspace. */
export function watchSetOf(workspace: Workspace): WatchSet {
  const rel = (path: string) => relative(workspace.root, path).split("\\").join("/");
  const files = new Set(MANIFESTS);
  const folders = new Set<string>();
  const modules = [workspace.file, ...workspace.projects.map((p) => p.file)];
  for (const stage of workspace.stages.values()) {
    if (stage.action.kind === "run" && stage.action.module) modules.push(stage.action.module);
    for (const dep of stage.deps) {
      if (dep.kind !== "source") continue;
      files.add(dep.path);
      folders.add(dep.path);
    }
    for (const file of stage.paramsFiles) files.add(file.path);
  }
  for (const module of modules) for (const file of importClosure(module).local) files.add(rel(file));
  return { files: [...files].sort(), folders: [...folders].sort() };
}

/** Does a change to `path` (workspace-relative, `/`-separated) concern the set? */
export function concerns(set: WatchSet, path: string): boolean {
  return set.files.includes(path) || set.folders.some((folder) => path.startsWith(`${folder}/`));
}

/** Writes the set where a watching parent asked for it (SLUICE_WATCH_SET), if it did. */
export function reportWatchSet(workspace: Workspace): void {
  const target = process.env[WATCH_SET_ENV];
  if (target) writeFileAtomicSync(target, JSON.stringify(watchSetOf(workspace)));
}

/** The set a cycle's child reported, or undefined when it could not load the workspace. */
export function readWatchSet(file: string): WatchSet | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as WatchSet;
    return Array.isArray(parsed.files) && Array.isArray(parsed.folders) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Where the watcher asks its children to write the set: beside the cache's other state. */
export function watchSetFile(root: string): string {
  return join(cacheLayout(root).dir, "watch-set.json");
}
