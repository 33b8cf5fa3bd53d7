/**
 * Puts the bytes a release references into the object store and returns
 * their digest, so the release can always be restored (and gc keeps them).
 * A file is stored as is; a directory as a listing of its files' digests
 * (each file stored too); a JSON value as its canonical JSON.
 */
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { digestFile, type Digest, type ObjectStore } from "../cache/index.js";
import { canonicalJson } from "../util/canonical-json.js";

/** Stores a file or directory at `path`; returns the digest the manifest records. */
export async function pinPath(store: ObjectStore, path: string): Promise<Digest> {
  const info = await stat(path);
  if (info.isFile()) {
    const digest = await digestFile(path);
    await store.putFile(path, digest);
    return digest;
  }
  const files: Record<string, string> = {};
  for (const file of await walk(path)) {
    const digest = await digestFile(file);
    await store.putFile(file, digest);
    files[relative(path, file).split(sep).join("/")] = digest;
  }
  return store.putBytes(Buffer.from(canonicalJson({ kind: "dir", files }), "utf8"));
}

/** Stores a JSON value as canonical JSON; returns its digest. */
export function pinJson(store: ObjectStore, value: unknown): Promise<Digest> {
  return store.putBytes(Buffer.from(canonicalJson(value), "utf8"));
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}
