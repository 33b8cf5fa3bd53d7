/**
 * The two sides `params diff` and `metrics diff` compare, from their
 * positional revisions: none is HEAD against the workspace, one is that
 * revision against the workspace, two are the first against the second.
 */
import { readLockFile, type LockFile } from "../cache/index.js";
import { parseStructured } from "../pipeline/index.js";
import { revisionFile, revisionProblem } from "./revision-files.js";
import type { Side } from "./tracked-values.js";

/** A side with its label, checked against the repository. */
export interface LabelledSide {
  readonly side: Side;
  readonly label: string;
}

/** The sides named by `revA` and `revB`, or why a revision cannot be read. */
export function sidesOf(root: string, revA: string | undefined, revB: string | undefined): { ok: true; a: LabelledSide; b: LabelledSide } | { ok: false; problem: string } {
  const named = [revA ?? "HEAD", revB];
  const sides: LabelledSide[] = [];
  for (const rev of named) {
    if (rev === undefined || rev === "workspace") {
      sides.push({ side: { kind: "workspace" }, label: "workspace" });
      continue;
    }
    const problem = revisionProblem(root, rev);
    if (problem) return { ok: false, problem };
    sides.push({ side: { kind: "revision", rev }, label: rev });
  }
  return { ok: true, a: sides[0] as LabelledSide, b: sides[1] as LabelledSide };
}

/** The lock file a side's metrics are found by: the workspace's, or the one committed in the revision. */
export function lockOf(root: string, lockPath: string, side: Side): LockFile | undefined {
  if (side.kind === "workspace") return readLockFile(lockPath);
  const file = revisionFile(root, side.rev, "sluice.lock");
  if (file.kind !== "text") return undefined;
  const parsed = parseStructured(file.text, "json");
  const lock = parsed.ok ? (parsed.value as unknown as LockFile) : undefined;
  return lock && lock.version === 1 && typeof lock.stages === "object" && lock.stages !== null ? lock : undefined;
}
