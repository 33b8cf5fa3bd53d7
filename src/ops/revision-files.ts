/**
 * Files as a git revision holds them (`git show <rev>:./<path>`), for the
 * commands that compare a revision with another or with the workspace
 * (`params diff`, `metrics diff`). The text is bounded: a revision is
 * whatever someone committed.
 */
import { spawnSync } from "node:child_process";

/** The most a file read from a revision may hold (params files, sluice.lock). */
const MAX_REVISION_FILE_BYTES = 16 * 1024 * 1024;

/** A revision's file: its text, absent (not in that revision), or why git could not say. */
export type RevisionFile = { readonly kind: "text"; readonly text: string } | { readonly kind: "absent" } | { readonly kind: "error"; readonly problem: string };

/** Checks that `rev` names a commit of the repository holding `root`; returns why not, or undefined. */
export function revisionProblem(root: string, rev: string): string | undefined {
  if (rev.startsWith("-")) return `"${rev}" is not a revision`;
  const out = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd: root, encoding: "utf8" });
  if (out.error) return `git could not be run (${out.error.message})`;
  if (out.status === 0) return undefined;
  const inRepo = spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: root, encoding: "utf8" });
  return inRepo.status === 0 ? `no revision "${rev}" in this repository` : "the workspace is not in a git repository";
}

/** The text of the workspace-relative `path` at `rev` (checked with `revisionProblem` first). */
export function revisionFile(root: string, rev: string, path: string): RevisionFile {
  const out = spawnSync("git", ["show", `${rev}:./${path}`], { cwd: root, maxBuffer: MAX_REVISION_FILE_BYTES, encoding: "buffer" });
  if (out.error) return { kind: "error", problem: `git show ${rev}:${path} failed (${out.error.message})` };
  if (out.status !== 0) return { kind: "absent" };
  return { kind: "text", text: out.stdout.toString("utf8") };
}
