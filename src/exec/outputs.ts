/**
 * Moving outputs between a stage's temp space, the object store and their
 * real names. A stage writes to temp paths; only after every output is
 * hashed, checked and stored are they renamed into the workspace, so a
 * failed or interrupted stage never leaves an output under its real name.
 */
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync } from "node:fs";
import { cp, rename, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import {
  digestFile,
  digestString,
  directoryManifest,
  manifestEntry,
  parseDirManifest,
  recordOutputsMismatch,
  type Digest,
  type DirListing,
  type ManifestEntry,
  type ObjectProblem,
  type ObjectStore,
  type RecordedHit,
  type RecordedOut,
  type StatCache,
} from "../cache/index.js";
import type { Stage, StageOut } from "../pipeline/index.js";
import type { StageFailure } from "./events.js";

/** Where each output is written before it is stored: its workspace-relative place in the shadow. */
export function tempOutPaths(stage: Stage, shadowRoot: string): Record<string, string> {
  return Object.fromEntries(stage.outs.map((out) => [out.name, join(shadowRoot, out.path)]));
}

/** Hashes every output written to its temp path and stores it (only hashes without a store). */
export async function storeOutputs(
  stage: Stage,
  tempPaths: Readonly<Record<string, string>>,
  store: ObjectStore | undefined,
): Promise<{ ok: true; outs: Record<string, RecordedOut> } | { ok: false; failure: StageFailure }> {
  const outs: Record<string, RecordedOut> = {};
  for (const out of stage.outs) {
    const recorded = await storeOutput(out, tempPaths[out.name] as string, out.cached ? store : undefined);
    if (!recorded.ok) return recorded;
    outs[out.name] = out.cached ? recorded.out : { ...recorded.out, cached: false };
  }
  return { ok: true, outs };
}

type Stored = { ok: true; out: RecordedOut } | { ok: false; failure: StageFailure };

/** Hashes one output at its temp path and stores it (only hashes without a store). */
async function storeOutput(out: StageOut, temp: string, store: ObjectStore | undefined): Promise<Stored> {
  const info = statSync(temp, { throwIfNoEntry: false });
  const wantDir = out.kind === "dir";
  if (!info || info.isDirectory() !== wantDir) {
    return {
      ok: false,
      failure: {
        reason: "missing-output",
        message: `did not write ${wantDir ? "directory" : "file"} output "${out.name}" (${out.path})${info ? ` (found a ${info.isDirectory() ? "directory" : "file"})` : ""}`,
      },
    };
  }
  if (wantDir) return storeDirectory(out, temp, store);
  const digest = await digestFile(temp);
  await store?.putFile(temp, digest);
  return { ok: true, out: { path: out.path, kind: out.kind, digest, size: info.size } };
}

/** Hashes (and stores) every file of a directory output, then its manifest. */
async function storeDirectory(out: StageOut, temp: string, store: ObjectStore | undefined): Promise<Stored> {
  const files: ManifestEntry[] = [];
  const dirs: string[] = [];
  let size = 0;
  const listed = listFiles(temp, dirs);
  if (!Array.isArray(listed)) {
    const { entry, link } = listed;
    const what = link === undefined ? "a special file (not a regular file or folder)" : `a symlink (-> ${link})`;
    const fix = link === undefined
      ? "write a regular file there instead"
      : "copy the file into the folder instead of linking it, or declare what it points to as a dep of the stages that read it";
    return {
      ok: false,
      failure: {
        reason: "unstorable-output",
        message: `directory output "${out.name}" (${out.path}) holds ${JSON.stringify(join(out.path, relative(temp, entry)))}, ${what}, which the cache cannot store: ${fix}`,
      },
    };
  }
  for (const file of listed) {
    const digest = await digestFile(file);
    await store?.putFile(file, digest);
    const info = statSync(file);
    files.push(manifestEntry(relative(temp, file), digest, info));
    size += info.size;
  }
  // The output folder itself is no entry: an empty output is a manifest with none.
  const manifest = directoryManifest({ files, dirs: dirs.filter((dir) => dir !== temp).map((dir) => relative(temp, dir)) });
  const digest = store ? await store.putBytes(Buffer.from(manifest, "utf8")) : digestString(manifest);
  return { ok: true, out: { path: out.path, kind: out.kind, digest, size } };
}

/** Renames stored outputs from temp into the workspace and remembers their stats. */
export async function placeOutputs(
  root: string,
  stage: Stage,
  tempPaths: Readonly<Record<string, string>>,
  outs: Readonly<Record<string, RecordedOut>>,
  store: ObjectStore,
  statCache: StatCache,
): Promise<void> {
  for (const out of stage.outs) {
    const real = join(root, out.path);
    await placeOne(tempPaths[out.name] as string, real, out.kind === "dir");
    await rememberOutput(out, outs[out.name] as RecordedOut, store, statCache);
  }
}

/**
 * Puts one output under its real name. A file is renamed straight over what
 * was there (one atomic step, the common case); a folder in the way, a
 * missing parent or another filesystem take the long way.
 */
async function placeOne(temp: string, real: string, isDir: boolean): Promise<void> {
  if (!isDir) {
    try {
      renameSync(temp, real);
      return;
    } catch {
      // the long way below reports what is really wrong
    }
  }
  rmSync(real, { recursive: true, force: true });
  mkdirSync(dirname(real), { recursive: true });
  await moveInto(temp, real);
}

/** An output a hit found in the workspace with other bytes than its record's. */
export interface OverwrittenOutput {
  readonly path: string;
  /**
   * The bytes there are in the object store: some run's output (a `--set`
   * variant's, an older declaration's), not an edit made by hand.
   */
  readonly fromRun: boolean;
}

/**
 * Why a hit could not be served: an object missing or corrupt in the store,
 * or a record (or directory manifest) that does not fit the declaration and
 * is refused before anything is written.
 */
export type RestoreProblem =
  | ObjectProblem
  | { readonly reason: "unusable-record"; readonly detail: string }
  /** An output declared `cache: false` that the workspace no longer holds as recorded: only running again makes it. */
  | { readonly reason: "uncached-output"; readonly path: string };

/**
 * Makes the workspace hold a hit's outputs: untouched when they already
 * match (`cached`), copied back from the store otherwise (`restored`).
 * Says which present files it replaced, so a local edit is never
 * overwritten without a word.
 */
export async function restoreOutputs(
  root: string,
  stage: Stage,
  record: RecordedHit,
  store: ObjectStore,
  statCache: StatCache,
): Promise<{ ok: true; restored: boolean; overwritten: OverwrittenOutput[] } | { ok: false; problem: RestoreProblem }> {
  // Checked before the first write: the restore below trusts the declared kinds.
  const mismatch = recordOutputsMismatch(stage.outs, record.outs);
  if (mismatch) return { ok: false, problem: { reason: "unusable-record", detail: mismatch } };
  // Also before the first write: an output whose bytes the cache never kept can only be the workspace's own.
  for (const out of stage.outs) {
    if (out.cached || (await statCache.digest(out.path)) === record.outs[out.name]?.digest) continue;
    return { ok: false, problem: { reason: "uncached-output", path: out.path } };
  }
  let restored = false;
  const overwritten: OverwrittenOutput[] = [];
  for (const out of stage.outs) {
    const recorded = record.outs[out.name] as RecordedOut;
    const present = await statCache.digest(out.path);
    if (present === recorded.digest) continue;
    if (present !== undefined) overwritten.push({ path: out.path, fromRun: await store.has(present) });
    const problem = out.kind === "dir"
      ? await restoreDirectory(root, out, recorded, store, statCache)
      : await store.restore(recorded.digest, join(root, out.path));
    if (problem) return { ok: false, problem };
    if (out.kind !== "dir") statCache.rememberNow(out.path, recorded.digest);
    restored = true;
  }
  return { ok: true, restored, overwritten };
}

/**
 * Copies the workspace's current copy of each persisted output to its temp
 * path, where the stage finds it when it runs. A copy, not a link: the
 * workspace keeps its copy untouched until the stage succeeds.
 */
export function seedPersistedOutputs(root: string, stage: Stage, tempPaths: Readonly<Record<string, string>>): void {
  for (const out of stage.outs) {
    if (!out.persist) continue;
    const previous = join(root, out.path);
    if (!statSync(previous, { throwIfNoEntry: false })) continue; // the first run starts afresh
    cpSync(previous, tempPaths[out.name] as string, { recursive: true });
  }
}

/**
 * Removes a stage's outputs from the workspace (after a failure: nothing
 * stale under a real name). Two kinds keep their previous copy, which the
 * failed run never touched (it wrote into its shadow): a persisted output,
 * what the next attempt resumes from, and one kept out of the cache, whose
 * only copy it is.
 */
export async function removeOutputs(root: string, stage: Stage, statCache: StatCache): Promise<void> {
  for (const out of stage.outs) {
    if (out.persist || !out.cached) continue;
    await rm(join(root, out.path), { recursive: true, force: true });
    statCache.forget(out.path);
  }
}

async function restoreDirectory(
  root: string,
  out: StageOut,
  recorded: RecordedOut,
  store: ObjectStore,
  statCache: StatCache,
): Promise<RestoreProblem | undefined> {
  const listing = await manifestListing(store, recorded);
  if (!("files" in listing)) return listing;
  const real = join(root, out.path);
  const staging = `${real}.sluice-restore-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const folders = new Set<string>([""]);
  const placed = async ([rel, digest, executable]: ManifestEntry): Promise<RestoreProblem | undefined> => {
    const problem = placeFolders(staging, dirname(rel), folders) ?? (await store.restore(digest, join(staging, rel)));
    // The stored object has the mode of whichever file first held its bytes: the manifest says what this one had.
    if (!problem) setExecutable(join(staging, rel), executable === "x");
    return problem;
  };
  for (const entry of listing.files) {
    const problem = await placed(entry);
    if (problem) {
      await rm(staging, { recursive: true, force: true });
      return problem;
    }
  }
  for (const dir of listing.dirs) {
    const problem = placeFolders(staging, dir, folders);
    if (problem) {
      await rm(staging, { recursive: true, force: true });
      return problem;
    }
  }
  await rm(real, { recursive: true, force: true });
  await rename(staging, real);
  for (const [rel, digest] of listing.files) statCache.rememberNow(join(out.path, rel), digest);
  return undefined;
}

/** Lets whoever may read `path` run it (as a file made executable under the usual umask is), or no one. */
function setExecutable(path: string, executable: boolean): void {
  const { mode } = statSync(path);
  const wanted = executable ? mode | ((mode & 0o444) >> 2) : mode & ~0o111;
  if (wanted !== mode) chmodSync(path, wanted);
}

/**
 * Creates the folders of `rel` (a checked manifest name's folder) under
 * `base` one level at a time, refusing any level that is already there as
 * something other than a real folder: a file is never written through a
 * symlink, even one planted while the restore runs.
 */
function placeFolders(base: string, rel: string, made: Set<string>): RestoreProblem | undefined {
  if (rel === "." || made.has(rel)) return undefined;
  const parent = dirname(rel);
  const above = placeFolders(base, parent === "." ? "" : parent, made);
  if (above) return above;
  const path = join(base, rel);
  const found = lstatSync(path, { throwIfNoEntry: false });
  if (!found) mkdirSync(path);
  else if (!found.isDirectory()) {
    return { reason: "unusable-record", detail: `the restore found ${JSON.stringify(rel)} already there as a ${found.isSymbolicLink() ? "symlink" : "file"}` };
  }
  made.add(rel);
  return undefined;
}

/** The files and empty folders of a stored directory artifact, read from its manifest object and checked (see `parseDirManifest`). */
async function manifestListing(store: ObjectStore, recorded: RecordedOut): Promise<DirListing | RestoreProblem> {
  const manifest = await store.readVerified(recorded.digest);
  if (!manifest.ok) return manifest.problem;
  const parsed = parseDirManifest(manifest.bytes);
  return parsed.ok ? parsed : { reason: "unusable-record", detail: `directory output ${recorded.path}: ${parsed.problem}` };
}

/** Records the digests just stored, so the next no-op reads none of these files again. */
async function rememberOutput(out: StageOut, recorded: RecordedOut, store: ObjectStore, statCache: StatCache): Promise<void> {
  if (out.kind !== "dir") {
    statCache.rememberNow(out.path, recorded.digest);
    return;
  }
  const listing = await manifestListing(store, recorded);
  if ("files" in listing) for (const [rel, digest] of listing.files) statCache.rememberNow(join(out.path, rel), digest);
}

/**
 * Renames `from` to `to`; when they are on different filesystems (a cache
 * mounted elsewhere) copies beside `to` first, so the final step is still
 * one atomic rename.
 */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    const staging = `${to}.sluice-move-${process.pid}`;
    await cp(from, staging, { recursive: true });
    await rename(staging, to);
    await rm(from, { recursive: true, force: true });
  }
}

/**
 * The regular files below `dir`, sorted, with the folders (`dir` among them)
 * that hold nothing added to `emptyDirs`; or the first entry that is neither a file nor
 * a folder. A symlink is never followed nor silently skipped: a restore could
 * not bring it back, so the cached result would differ from the first run's.
 */
function listFiles(dir: string, emptyDirs: string[]): string[] | { entry: string; link: string | undefined } {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.length === 0) emptyDirs.push(dir);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const below = listFiles(path, emptyDirs);
      if (!Array.isArray(below)) return below;
      files.push(...below);
    } else if (entry.isFile()) files.push(path);
    else return { entry: path, link: entry.isSymbolicLink() ? readlinkSync(path) : undefined };
  }
  return files.sort();
}

/** The digest of an empty log, which is never worth replaying. */
export function emptyLogDigest(): Digest {
  return digestString("");
}
