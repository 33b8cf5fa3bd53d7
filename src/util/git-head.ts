/**
 * The commit a repository's HEAD names, read from its files: `.git` (a
 * folder, or a file pointing at one, as in a linked worktree or a
 * submodule), `HEAD`, a loose ref or `packed-refs`. Forking `git` from a
 * Node process of ~100 MB costs ~25 ms of the main thread, which a run
 * that executes stages paid once for its history line.
 *
 * Only the plain layouts are read here; anything else (GIT_DIR and friends
 * in the environment, the reftable ref store, a ref this does not find) is
 * "unsure", and the caller asks git itself.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** A commit id, undefined when there is no repository (or no commit yet), or "unsure". */
export type GitHead = string | undefined | "unsure";

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** Variables that make git look somewhere other than the folders above. */
const GIT_LOCATION_ENV = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM"];

export function readGitHead(root: string, env: Readonly<Record<string, string | undefined>> = process.env): GitHead {
  if (GIT_LOCATION_ENV.some((name) => env[name] !== undefined)) return "unsure";
  try {
    const gitDir = findGitDir(resolve(root));
    if (gitDir === undefined) return undefined;
    const commonDir = existsSync(join(gitDir, "commondir")) ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()) : gitDir;
    if (existsSync(join(commonDir, "reftable"))) return "unsure";
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    if (OBJECT_ID.test(head)) return head;
    const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
    if (!ref) return "unsure";
    return looseRef(gitDir, ref) ?? looseRef(commonDir, ref) ?? packedRef(commonDir, ref) ?? "unsure";
  } catch {
    return "unsure";
  }
}

/** The repository folder of the nearest `.git` at or above `dir`. */
function findGitDir(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const dotGit = join(at, ".git");
    if (existsSync(dotGit)) {
      if (statSync(dotGit).isDirectory()) return dotGit;
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
      if (!pointer) throw new Error(`${dotGit} names no gitdir`);
      return isAbsolute(pointer) ? pointer : resolve(at, pointer);
    }
    if (dirname(at) === at) return undefined;
  }
}

function looseRef(dir: string, ref: string): string | undefined {
  const path = join(dir, ref);
  if (!existsSync(path)) return undefined;
  const id = readFileSync(path, "utf8").trim();
  return OBJECT_ID.test(id) ? id : undefined;
}

function packedRef(dir: string, ref: string): string | undefined {
  const path = join(dir, "packed-refs");
  if (!existsSync(path)) return undefined;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const [id, name] = line.split(" ");
    if (name === ref && id !== undefined && OBJECT_ID.test(id)) return id;
  }
  return undefined;
}
