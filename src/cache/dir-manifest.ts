/**
 * Reading a directory output's manifest (`{"kind":"dir","files":[[name, digest], ...]}`)
 * and the one rule for the names it may hold. A manifest can come from
 * another machine (a remote cache) or a damaged store, and a restore joins
 * each name onto the output folder: a name that leaves the folder would
 * write anywhere on disk. Every restore, local or remote, reads manifests
 * through `parseDirManifest`, so no unchecked name reaches a `join`.
 */
import { isDigest, type Digest } from "./digest.js";

/** One file of a directory output: its path below the output folder, and its object. */
export type ManifestEntry = readonly [name: string, digest: Digest];

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
export function parseDirManifest(bytes: Uint8Array): { ok: true; files: ManifestEntry[] } | { ok: false; problem: string } {
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
    if (!Array.isArray(entry) || entry.length !== 2) return { ok: false, problem: "a manifest entry is not [name, digest]" };
    const [name, digest] = entry as [unknown, unknown];
    const problem = manifestNameProblem(name);
    if (problem) return { ok: false, problem: `the manifest names ${JSON.stringify(name)}, which ${problem}` };
    if (typeof digest !== "string" || !isDigest(digest)) return { ok: false, problem: `the manifest gives ${JSON.stringify(name)} a bad digest` };
    names.add(name as string);
    entries.push([name as string, digest]);
  }
  if (names.size !== entries.length) return { ok: false, problem: "the manifest names a file twice" };
  for (const [name] of entries) {
    const segments = name.split(/[\\/]/);
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join("/");
      if (names.has(parent)) return { ok: false, problem: `the manifest names ${JSON.stringify(parent)} both as a file and as a folder` };
    }
  }
  return { ok: true, files: entries };
}
