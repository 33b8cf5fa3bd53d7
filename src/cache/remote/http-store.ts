/**
 * The wire layer of the remote cache: GET, HEAD and PUT of whole blobs under
 * a base URL, each bounded by a timeout. Failures are values, never throws.
 *
 * A remote that is unreachable (refused, reset, timed out) is marked down on
 * the first such failure and every later request fails at once: a build of
 * 200 stages against a dead server pays one timeout, not 200.
 *
 *   up ──(network error or timeout)──▶ down   (for the rest of the process)
 *
 * What a server sends is bounded: every body is read against a byte limit
 * the caller gives (an object's size is in its digest), refused at once
 * when its Content-Length is over it and cut off the moment it goes past.
 * Objects stream to a file, so memory stays flat whatever the body holds.
 * Redirects are followed only within the base URL's origin (scheme, host,
 * port): a cache must not send our requests, or our credentials, elsewhere.
 */
import { createHash } from "node:crypto";
import { open, rm } from "node:fs/promises";

/** Why a request did not succeed. `down` means no request was sent. */
export type HttpProblem =
  | { readonly reason: "unreachable"; readonly detail: string }
  | { readonly reason: "timeout"; readonly detail: string }
  | { readonly reason: "http-status"; readonly status: number; readonly detail: string }
  | { readonly reason: "too-large"; readonly detail: string }
  | { readonly reason: "redirect"; readonly detail: string }
  | { readonly reason: "local-io"; readonly detail: string }
  | { readonly reason: "down"; readonly detail: string };

export type HttpResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: HttpProblem };

export interface HttpStoreOptions {
  /** Base URL without a trailing slash: `http://127.0.0.1:9090/cache`. */
  readonly baseUrl: string;
  /** Bound on a small request (a record, a HEAD), in milliseconds. */
  readonly timeoutMs: number;
  /** Bound on an object transfer, in milliseconds: objects can be large. */
  readonly transferTimeoutMs: number;
}

/** What a streamed download left on disk. */
export interface Downloaded {
  readonly size: number;
  /** SHA-256 hex of the bytes written, hashed as they arrived. */
  readonly sha256: string;
}

/** Same-origin hops followed before giving up (a loop is not a cache). */
const MAX_REDIRECTS = 5;

/** Thrown inside a body read when the body passes its limit; turned into a `too-large` problem. */
class TooLarge extends Error {}
/** Thrown when writing a download fails locally (a full disk): not the server's fault. */
class LocalIo extends Error {}

export class HttpStore {
  readonly #options: HttpStoreOptions;
  readonly #base: string;
  readonly #headers: Record<string, string> = {};
  #down: HttpProblem | undefined;

  constructor(options: HttpStoreOptions) {
    this.#options = options;
    // fetch refuses URLs carrying credentials: move them to a Basic header.
    const url = new URL(options.baseUrl);
    if (url.username || url.password) {
      const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.#headers["authorization"] = `Basic ${Buffer.from(user, "utf8").toString("base64")}`;
      url.username = "";
      url.password = "";
    }
    this.#base = url.toString().replace(/\/+$/, "");
  }

  /** Set once the remote proved unreachable; later requests are not attempted. */
  get down(): HttpProblem | undefined {
    return this.#down;
  }

  /**
   * The body at `path` held in memory, or `undefined` on a 404 (a plain
   * miss); a body longer than `limit` bytes is a `too-large` problem. For
   * small things (records); objects go through `download`.
   */
  async get(path: string, limit: number): Promise<HttpResult<Uint8Array | undefined>> {
    return this.#request(path, { method: "GET" }, false, limit, async (body, url) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > limit) throw new TooLarge(`GET ${url}: the body passed ${limit} bytes`);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, size);
    });
  }

  /**
   * Streams the body at `path` into the file `dest` (created, or truncated),
   * hashing it on the way; `undefined` on a 404. Past `limit` bytes the
   * transfer is cut off, and `dest` is removed on every failure.
   */
  async download(path: string, dest: string, limit: number): Promise<HttpResult<Downloaded | undefined>> {
    const result = await this.#request(path, { method: "GET" }, true, limit, async (body, url) => {
      const hash = createHash("sha256");
      const file = await open(dest, "w").catch((error: Error) => {
        throw new LocalIo(`cannot write ${dest}: ${error.message}`);
      });
      let size = 0;
      try {
        for await (const chunk of body) {
          size += chunk.byteLength;
          if (size > limit) throw new TooLarge(`GET ${url}: the body passed ${limit} bytes`);
          hash.update(chunk);
          await file.write(chunk).catch((error: Error) => {
            throw new LocalIo(`cannot write ${dest}: ${error.message}`);
          });
        }
      } finally {
        await file.close().catch(() => undefined);
      }
      return { size, sha256: hash.digest("hex") };
    });
    if (!result.ok || result.value === undefined) await rm(dest, { force: true }).catch(() => undefined);
    return result;
  }

  /** Whether something is stored at `path` (used to skip re-uploading an object). */
  async has(path: string): Promise<HttpResult<boolean>> {
    const found = await this.#request(path, { method: "HEAD" }, false, 0, async () => true);
    return found.ok ? { ok: true, value: found.value === true } : found;
  }

  /** Stores `body` at `path`. */
  async put(path: string, body: Uint8Array, transfer = false): Promise<HttpResult<void>> {
    return this.#request(
      path,
      { method: "PUT", body, headers: { "content-type": "application/octet-stream" } },
      transfer,
      0,
      async () => undefined,
    );
  }

  /**
   * One request with its same-origin redirects. `read` gets the body of a
   * 2xx answer (a 404 is `undefined`); `limit` bounds what it may read, and
   * a declared Content-Length over it fails before any body is read.
   */
  async #request<T>(
    path: string,
    init: RequestInit,
    transfer: boolean,
    limit: number,
    read: (body: AsyncIterable<Uint8Array>, url: string) => Promise<T>,
  ): Promise<HttpResult<T | undefined>> {
    if (this.#down) return { ok: false, problem: { reason: "down", detail: this.#down.detail } };
    let url = `${this.#base}/${path}`;
    const origin = new URL(this.#base).origin;
    const timeoutMs = transfer ? this.#options.transferTimeoutMs : this.#options.timeoutMs;
    // The timeout covers the body as well as the headers: a server that
    // stalls mid-transfer is as slow as one that never answers.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      for (let hop = 0; ; hop++) {
        const response = await fetch(url, {
          ...init,
          headers: { ...this.#headers, ...(init.headers as Record<string, string>) },
          signal,
          redirect: "manual",
        });
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location !== null) {
          await response.body?.cancel().catch(() => undefined);
          const next = new URL(location, url);
          if (next.origin !== origin) {
            return { ok: false, problem: { reason: "redirect", detail: `${init.method} ${url} redirects to another origin (${next.origin}); not following it` } };
          }
          if (hop >= MAX_REDIRECTS) return { ok: false, problem: { reason: "redirect", detail: `${init.method} ${url}: more than ${MAX_REDIRECTS} redirects` } };
          url = next.toString();
          continue;
        }
        if (response.status === 404) {
          await response.body?.cancel().catch(() => undefined);
          return { ok: true, value: undefined };
        }
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          return { ok: false, problem: { reason: "http-status", status: response.status, detail: `${init.method} ${url}: HTTP ${response.status}` } };
        }
        const declared = Number(response.headers.get("content-length") ?? Number.NaN);
        if (init.method === "GET" && declared > limit) {
          await response.body?.cancel().catch(() => undefined);
          return { ok: false, problem: { reason: "too-large", detail: `GET ${url}: Content-Length ${declared} is over the ${limit} bytes expected` } };
        }
        if (!response.body) return { ok: true, value: await read(emptyBody(), url) };
        return { ok: true, value: await read(response.body, url) };
      }
    } catch (error) {
      if (error instanceof TooLarge) return { ok: false, problem: { reason: "too-large", detail: error.message } };
      if (error instanceof LocalIo) return { ok: false, problem: { reason: "local-io", detail: error.message } };
      const timedOut = signal.aborted;
      const problem: HttpProblem = timedOut
        ? { reason: "timeout", detail: `${init.method} ${url}: no answer within ${timeoutMs} ms` }
        : { reason: "unreachable", detail: `${init.method} ${url}: ${describe(error)}` };
      this.#down = problem;
      return { ok: false, problem };
    }
  }
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}

/** undici hides the useful part ("ECONNREFUSED") in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.message;
}
