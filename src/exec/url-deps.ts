/**
 * Deps fetched from a URL and pinned by digest (`url(...)`). The pin is in
 * the key, so planning and hits need no network; only a stage that executes
 * needs the bytes, placed at the dep's path from wherever they are first
 * found: the workspace, the object store, or the URL. Downloaded bytes are
 * hostile until checked: bounded by the pinned length, hashed, and refused
 * unless they are the pinned bytes; only then do they reach the store and
 * the workspace.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { digestFile, digestSize, isDigest, type CacheSession, type Digest } from "../cache/index.js";
import { pinAdvice, type Stage } from "../pipeline/index.js";
import type { StageFailure } from "./events.js";

/** No byte for this long and a download is given up. */
const IDLE_MS = 60_000;

/** A downloaded file in temp space, with its digest. */
export type Fetched =
  | { readonly ok: true; readonly file: string; readonly digest: Digest }
  | { readonly ok: false; readonly tooLarge: boolean; readonly message: string };

/** Makes the workspace hold the pinned bytes of every URL dep of `stage`; the first that cannot is the stage's failure. */
export async function placeUrlDeps(cache: CacheSession, workspaceRoot: string, stage: Stage, signal: AbortSignal): Promise<StageFailure | undefined> {
  for (const dep of stage.deps) {
    if (dep.kind !== "url" || !isDigest(dep.digest)) continue;
    if ((await cache.statCache.digest(dep.path)) === dep.digest) continue;
    if (!(await cache.store.has(dep.digest))) {
      const fetched = await fetchUrl(dep.url, digestSize(dep.digest), cache.layout.tmp, signal);
      const changed = (what: string, fix: string) =>
        ({ reason: "missing-input", message: `dep "${dep.name}": ${dep.url} now serves other bytes than the pinned ${dep.digest} (${what}); if the new data is intended, ${fix}` }) as const;
      if (!fetched.ok) {
        if (fetched.tooLarge) return changed(`more than its ${digestSize(dep.digest)} bytes`, pinAdvice(dep.url));
        return { reason: "missing-input", message: `dep "${dep.name}": ${fetched.message}` };
      }
      try {
        if (fetched.digest !== dep.digest) return changed(`digest ${fetched.digest}`, pinAdvice(dep.url, fetched.digest));
        await cache.store.putFile(fetched.file, fetched.digest);
      } finally {
        await rm(fetched.file, { force: true });
      }
    }
    const problem = await cache.store.restore(dep.digest, join(workspaceRoot, dep.path));
    if (problem) return { reason: "missing-input", message: `dep "${dep.name}": the cached copy of ${dep.url} is ${problem.reason}; run again to fetch it` };
    cache.statCache.rememberNow(dep.path, dep.digest);
  }
  return undefined;
}

/**
 * Downloads `url` into a temp file under `tempDir`, refusing more than
 * `maxBytes` and a server that goes quiet; the caller removes the file.
 */
export async function fetchUrl(url: string, maxBytes: number, tempDir: string, signal: AbortSignal): Promise<Fetched> {
  await mkdir(tempDir, { recursive: true });
  const file = join(tempDir, `url-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
  const idle = new AbortController();
  let timer = setTimeout(() => idle.abort(), IDLE_MS);
  const stillGoing = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), IDLE_MS);
  };
  try {
    const response = await fetch(url, { signal: AbortSignal.any([signal, idle.signal]), redirect: "follow" });
    if (!response.ok || !response.body) return { ok: false, tooLarge: false, message: `could not fetch ${url}: HTTP ${response.status}` };
    const tooLarge = { ok: false, tooLarge: true, message: `${url} sends more than the ${maxBytes} bytes expected` } as const;
    if (Number(response.headers.get("content-length") ?? "0") > maxBytes) return tooLarge;
    if ((await writeBounded(response.body, file, maxBytes, stillGoing)) === undefined) {
      await rm(file, { force: true });
      return tooLarge;
    }
    return { ok: true, file, digest: await digestFile(file) };
  } catch (error) {
    await rm(file, { force: true });
    const why = idle.signal.aborted ? `no data for ${IDLE_MS / 1000} s` : signal.aborted ? "stopped" : (error as Error).message;
    return { ok: false, tooLarge: false, message: `could not fetch ${url}: ${why}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Streams `body` to `file`; the byte count, or undefined as soon as it passes `maxBytes`. */
async function writeBounded(body: ReadableStream<Uint8Array>, file: string, maxBytes: number, onChunk: () => void): Promise<number | undefined> {
  const out = createWriteStream(file);
  const closed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  let total = 0;
  try {
    for await (const chunk of body) {
      onChunk();
      total += chunk.byteLength;
      if (total > maxBytes) return undefined;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    return total;
  } finally {
    out.end();
    await closed;
  }
}
