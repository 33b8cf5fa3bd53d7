/**
 * `sluice pin <url>`: downloads a file once, keeps it in the cache and
 * returns the digest to pin a `url(...)` dep with, so the first run that
 * needs it finds it there instead of downloading it again.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { digestSize, openCache } from "../cache/index.js";
import { fetchUrl } from "../exec/index.js";
import { findWorkspaceRoot } from "../pipeline/index.js";
import { refuse, type OpResult } from "./failure.js";

export interface PinnedUrl {
  readonly url: string;
  readonly digest: string;
  readonly bytes: number;
  /** Whether the bytes were kept in the workspace's cache (false outside a workspace). */
  readonly cached: boolean;
}

export async function pinUrl(url: string, options: { readonly cwd: string; readonly maxBytes: number; readonly signal: AbortSignal }): Promise<OpResult<PinnedUrl>> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse("usage", `${JSON.stringify(url)} is not a URL (pin http:// or https:// URLs)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return refuse("usage", `${url} is not an http(s) URL`);
  const root = findWorkspaceRoot(options.cwd);
  const cache = root === undefined ? undefined : await openCache(root);
  const temp = cache?.layout.tmp ?? tmpdir();
  const fetched = await fetchUrl(url, options.maxBytes, temp, options.signal);
  if (!fetched.ok) return refuse(options.signal.aborted ? "interrupted" : "failed", `${fetched.message}${fetched.tooLarge ? " (raise --max-bytes)" : ""}`);
  try {
    await cache?.store.putFile(fetched.file, fetched.digest);
    return { ok: true, value: { url, digest: fetched.digest, bytes: digestSize(fetched.digest), cached: cache !== undefined } };
  } finally {
    await rm(fetched.file, { force: true });
  }
}
