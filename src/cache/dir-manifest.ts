/**
 * A directory artifact's manifest, its canonical text and its reading:
 * `{"kind":"dir","files":[[name, digest], [name, digest, "x"], ...],"dirs":[name, ...]}`,
 * an executable file marked `"x"`, and `dirs` the folders that hold nothing
 * (each present only when there is one, so a manifest without either reads
 * as it always did). A restore gives back the tree the stage made: a script
 * it wrote stays executable, an empty folder it made is there.
 * And the one rule for the names it may hold. A manifest can come from
 * another machine (a remote cache) or a damaged store, and a restore joins
 * each name onto the output folder: a name that leaves the folder would
 * write anywhere on disk. Every restore, local or remote, reads manifests
 * through `parseDirManifest`, so no unchecked name reaches a `join`.
 */
import { canonicalJson } from "../util/canonical-json.js";
import { isDigest, type Digest } from "./digest.js";

/** One file of a directory output: its path below the output folder, its object, and whether it is executable. */
export type ManifestEntry = readonly [name: string, digest: Digest, executable?: "x"];

/** The files and the empty folders of a directory artifact. */
export interface DirListing {
  readonly files: readonly ManifestEntry[];
  readonly dirs: readonly string[];
}

/** A file's manifest entry, marked executable when its mode lets its owner run it. */
export function manifestEntry(name: string, digest: Digest, info: { readonly mode: number }): ManifestEntry {
  return info.mode & 0o100 ? [name, digest, "x"] : [name, digest];
}

/** The canonical text of a directory artifact: sorted paths, their digests and executable marks, sorted empty folders. */
export function directoryManifest({ files, dirs }: DirListing): string {
  const sortedFiles = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return canonicalJson({ kind: "dir", files: sortedFiles, ...(dirs.length > 0 ? { dirs: [...dirs].sort() } : {}) });
}

/**
 * Why `name` may not appear in a manifest, or undefined when it is a plain
 * relative path that stays inside its folder: not empty, not absolute, no
 * `..`, `.` or empty segment (on either separator), no NUL.
 */
export function manifestNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string" || name === "") return "is not a non-empty path";
  if (name.includes("\0")) return "holds a NUL byte";
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name)) return "is absolute";
  // Backslashes count as separators too: a manifest written on Windows names `a\..\b`.
  for (const segment of name.split(/[\\/]/)) {
    if (segment === "..") return "leaves its folder (..)";
    if (segment === "" || segment === ".") return "has an empty or '.' segment";
  }
  return undefined;
}

/**
 * The entries of a manifest, or why it cannot be used: not JSON, not the
 * manifest shape, a name breaking the rule above, a bad digest, or two
 * entries where one would be a file and a folder at once (`a` and `a/b`).
 */
export function parseDirManifest(bytes: Uint8Array): ({ ok: true; files: ManifestEntry[] } & DirListing) | { ok: false; problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return { ok: false, problem: "the manifest is not valid JSON" };
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  if ((parsed as { kind?: unknown } | null)?.kind !== "dir" || !Array.isArray(files)) {
    return { ok: false, problem: "the manifest is not a directory manifest" };
  }
  const names = new Set<string>();
  const entries: ManifestEntry[] = [];
  for (const entry of files as unknown[]) {
    const marked = Array.isArray(entry) && entry.length === 3 && entry[2] === "x";
    if (!Array.isArray(entry) || (entry.length !== 2 && !marked)) return { ok: false, problem: "a manifest entry is not [name, digest] or [name, digest, \"x\"]" };
    const [name, digest] = entry as [unknown, unknown];
    const problem = manifestNameProblem(name);
    if (problem) return { ok: false, problem: `the manifest names ${JSON.stringify(name)}, which ${problem}` };
    if (typeof digest !== "string" || !isDigest(digest)) return { ok: false, problem: `the manifest gives ${JSON.stringify(name)} a bad digest` };
    names.add(name as string);
    entries.push(marked ? [name as string, digest, "x"] : [name as string, digest]);
  }
  if (names.size !== entries.length) return { ok: false, problem: "the manifest names a file twice" };
  const dirs = (parsed as { dirs?: unknown }).dirs ?? [];
  if (!Array.isArray(dirs)) return { ok: false, problem: "the manifest's dirs is not a list" };
  for (const dir of dirs as unknown[]) {
    const problem = manifestNameProblem(dir);
    if (problem) return { ok: false, problem: `the manifest names the folder ${JSON.stringify(dir)}, which ${problem}` };
    if (names.has(dir as string)) return { ok: false, problem: `the manifest names ${JSON.stringify(dir)} both as a file and as a folder` };
  }
  for (const name of [...names, ...(dirs as string[])]) {
    const segments = name.split(/[\\/]/);
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join("/");
      if (names.has(parent)) return { ok: false, problem: `the manifest names ${JSON.stringify(parent)} both as a file and as a folder` };
    }
  }
  return { ok: true, files: entries, dirs: dirs as string[] };
}
