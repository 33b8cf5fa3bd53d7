/**
 * The shadow directory a `cmd` stage runs in: a tree shaped like the
 * workspace holding only the stage's declared deps (as symlinks) and room
 * for its declared outputs. The command's working directory is the
 * project's folder inside it, so relative paths behave as in the workspace;
 * an input that was not declared is simply not there, and a file written
 * anywhere but a declared output is found afterwards and reported by name.
 * Only declared outputs are moved back into the workspace.
 */
import { lstat, mkdir, readdir, symlink } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { Stage } from "../pipeline/index.js";

export interface Shadow {
  /** The shadow's root, standing in for the workspace root. */
  readonly root: string;
  /** The command's working directory: the project folder inside the shadow. */
  readonly cwd: string;
}

/** Builds the shadow tree: every file/dir/source dep linked at its workspace-relative path. */
export async function prepareShadow(workspaceRoot: string, stage: Stage, tempDir: string): Promise<Shadow> {
  const root = join(tempDir, "shadow");
  for (const dep of stage.deps) {
    if (dep.kind === "external") continue;
    const link = join(root, dep.path);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(workspaceRoot, dep.path), link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error; // two deps naming the same path share one link
    });
  }
  const cwd = join(root, relative(workspaceRoot, stage.projectDir));
  await mkdir(cwd, { recursive: true });
  return { root, cwd };
}

/** Workspace-relative paths of files the command wrote outside its declared outputs. */
export async function undeclaredWrites(shadow: Shadow, stage: Stage): Promise<string[]> {
  const declared = new Set(stage.outs.map((o) => o.path));
  const links = new Set(stage.deps.flatMap((d) => (d.kind === "external" ? [] : [d.path])));
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      const rel = relative(shadow.root, path);
      if (declared.has(rel) || links.has(rel)) continue;
      if (entry.isDirectory()) await walk(path);
      else if (!(await lstat(path)).isDirectory()) found.push(rel);
    }
  };
  await walk(shadow.root);
  return found.sort();
}
