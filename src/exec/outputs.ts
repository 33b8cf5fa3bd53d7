/**
 * Moving outputs between a stage's temp space, the object store and their
 * real names. A stage writes to temp paths; only after every output is
 * hashed, checked and stored are they renamed into the workspace, so a
 * failed or interrupted stage never leaves an output under its real name.
 */
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { cp, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import {
  digestFile,
  digestString,
  directoryManifest,
  type Digest,
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
    const temp = tempPaths[out.name] as string;
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
    if (wantDir) {
      const files: [string, Digest][] = [];
      let size = 0;
      for (const file of await listFiles(temp)) {
        const digest = await digestFile(file);
        await store?.putFile(file, digest);
        files.push([relative(temp, file), digest]);
        size += statSync(file).size;
      }
      const manifest = directoryManifest(files);
      const digest = store ? await store.putBytes(Buffer.from(manifest, "utf8")) : digestString(manifest);
      outs[out.name] = { path: out.path, kind: out.kind, digest, size };
    } else {
      const digest = await digestFile(temp);
      await store?.putFile(temp, digest);
      outs[out.name] = { path: out.path, kind: out.kind, digest, size: info.size };
    }
  }
  return { ok: true, outs };
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
    await rememberOutput(root, out, outs[out.name] as RecordedOut, store, statCache);
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
): Promise<{ ok: true; restored: boolean; overwritten: OverwrittenOutput[] } | { ok: false; problem: ObjectProblem }> {
  let restored = false;
  const overwritten: OverwrittenOutput[] = [];
  for (const out of stage.outs) {
    const recorded = record.outs[out.name];
    if (!recorded) return { ok: false, problem: { reason: "missing-object", digest: record.log } };
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

/** Removes a stage's outputs from the workspace (after a failure: nothing stale under a real name). */
export async function removeOutputs(root: string, stage: Stage, statCache: StatCache): Promise<void> {
  for (const out of stage.outs) {
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
): Promise<ObjectProblem | undefined> {
  const files = await manifestFiles(store, recorded);
  if (!Array.isArray(files)) return files;
  const real = join(root, out.path);
  const staging = `${real}.sluice-restore-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const [rel, digest] of files) {
    const problem = await store.restore(digest, join(staging, rel));
    if (problem) {
      await rm(staging, { recursive: true, force: true });
      return problem;
    }
  }
  await mkdir(staging, { recursive: true });
  await rm(real, { recursive: true, force: true });
  await rename(staging, real);
  for (const [rel, digest] of files) statCache.rememberNow(join(out.path, rel), digest);
  return undefined;
}

/** The files of a stored directory artifact, read from its manifest object. */
async function manifestFiles(store: ObjectStore, recorded: RecordedOut): Promise<[string, Digest][] | ObjectProblem> {
  const manifest = await store.readVerified(recorded.digest);
  if (!manifest.ok) return manifest.problem;
  return (JSON.parse(manifest.bytes.toString("utf8")) as { files: [string, Digest][] }).files;
}

/** Records the digests just stored, so the next no-op reads none of these files again. */
async function rememberOutput(root: string, out: StageOut, recorded: RecordedOut, store: ObjectStore, statCache: StatCache): Promise<void> {
  if (out.kind !== "dir") {
    statCache.remember(out.path, lstatSync(join(root, out.path)), recorded.digest);
    return;
  }
  const files = await manifestFiles(store, recorded);
  if (Array.isArray(files)) for (const [rel, digest] of files) statCache.rememberNow(join(out.path, rel), digest);
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

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

/** The digest of an empty log, which is never worth replaying. */
export function emptyLogDigest(): Digest {
  return digestString("");
}
