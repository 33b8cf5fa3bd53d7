/**
 * The sides `params diff`, `metrics diff` and `plots diff` compare, from
 * their positional revisions: none is HEAD against the workspace, one is
 * that revision against the workspace, two are the first against the
 * second (plots take more).
 */
import { cacheLayout, openCache, parseStageKey, readLockFile, type CacheSession, type LockedStage, type LockFile } from "../cache/index.js";
import { parseStructured, type Workspace } from "../pipeline/index.js";
import { ok } from "../util/result.js";
import type { OpResult } from "./failure.js";
import { outputFiles, type OutputFiles } from "./output-files.js";
import { openRemote, type RemoteArgs } from "./remote.js";
import { revisionFile, revisionProblem } from "./revision-files.js";
import type { Side } from "./tracked-values.js";

/** A side with its label, checked against the repository. */
export interface LabelledSide {
  readonly side: Side;
  readonly label: string;
}

/** The sides named by `revA` and `revB`, or why a revision cannot be read. */
export function sidesOf(root: string, revA: string | undefined, revB: string | undefined): { ok: true; a: LabelledSide; b: LabelledSide } | { ok: false; problem: string } {
  const named = sidesNamed(root, [revA, revB].filter((rev): rev is string => rev !== undefined));
  if (!named.ok) return named;
  return { ok: true, a: named.sides[0] as LabelledSide, b: named.sides[1] as LabelledSide };
}

/**
 * The sides a list of revisions names (`workspace` names the workspace,
 * and a name in `experiments` that experiment): none is HEAD and the
 * workspace, one is that revision and the workspace, more are those, in order.
 */
export function sidesNamed(
  root: string,
  revisions: readonly string[],
  experiments: ReadonlyMap<string, Side> = new Map(),
): { ok: true; sides: LabelledSide[] } | { ok: false; problem: string } {
  const named = revisions.length === 0 ? ["HEAD", "workspace"] : revisions.length === 1 ? [revisions[0] as string, "workspace"] : revisions;
  const sides: LabelledSide[] = [];
  for (const rev of named) {
    const experiment = experiments.get(rev);
    if (rev === "workspace" || experiment) {
      sides.push({ side: experiment ?? { kind: "workspace" }, label: rev });
      continue;
    }
    const problem = revisionProblem(root, rev);
    if (problem) return { ok: false, problem };
    sides.push({ side: { kind: "revision", rev }, label: rev });
  }
  return { ok: true, sides };
}

/**
 * Each side's output files, sharing one cache session; the remote cache
 * (`--remote-cache`, SLUICE_REMOTE_CACHE or the pipeline's `remoteCache`)
 * is opened only when a revision is read.
 */
export async function sideFiles(workspace: Workspace, sides: readonly LabelledSide[], remoteArgs: RemoteArgs): Promise<OpResult<OutputFiles[]>> {
  const revisions = sides.some(({ side }) => side.kind === "revision");
  const remote = revisions ? await openRemote(remoteArgs, workspace) : ok(undefined);
  if (!remote.ok) return remote;
  const cache = await openCache(workspace.root, remote.value);
  const lockPath = cacheLayout(workspace.root).lockFile;
  const locks = await Promise.all(sides.map(({ side }) => (side.kind === "experiment" ? experimentLock(cache, side.stages) : lockOf(workspace.root, lockPath, side))));
  return ok(sides.map(({ side }, i) => outputFiles(workspace.root, side, locks[i], cache)));
}

/** An experiment's outputs as a lock file would list them: each stage's key and the outputs its run record holds. */
async function experimentLock(cache: CacheSession, stages: readonly { readonly id: string; readonly key: string }[]): Promise<LockFile> {
  const locked: Record<string, LockedStage> = {};
  for (const { id, key } of stages) {
    const parsed = parseStageKey(key);
    const record = parsed && (await cache.records.get(parsed)).record;
    if (record) locked[id] = { key, outs: Object.values(record.outs).map(({ path, digest, size }) => ({ path, digest, size })) };
  }
  return { version: 1, stages: locked };
}

/** The lock file a side's metrics are found by: the workspace's, or the one committed in the revision. */
export function lockOf(root: string, lockPath: string, side: Exclude<Side, { kind: "experiment" }>): LockFile | undefined {
  if (side.kind === "workspace") return readLockFile(lockPath);
  const file = revisionFile(root, side.rev, "sluice.lock");
  if (file.kind !== "text") return undefined;
  const parsed = parseStructured(file.text, "json");
  const lock = parsed.ok ? (parsed.value as unknown as LockFile) : undefined;
  return lock && lock.version === 1 && typeof lock.stages === "object" && lock.stages !== null ? lock : undefined;
}
