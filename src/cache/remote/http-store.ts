/**
 * The wire layer of the remote cache: GET, HEAD and PUT of whole blobs under
 * a base URL, each bounded by a timeout. Failures are values, never throws.
 *
 * A remote that is unreachable (refused, reset, timed out) is marked down on
 * the first such failure and every later request fails at once: a build of
 * 200 stages against a dead server pays one timeout, not 200.
 *
 *   up ──(network error or timeout)──▶ down   (for the rest of the process)
 */

/** Why a request did not succeed. `down` means no request was sent. */
export type HttpProblem =
  | { readonly reason: "unreachable"; readonly detail: string }
  | { readonly reason: "timeout"; readonly detail: string }
  | { readonly reason: "http-status"; readonly status: number; readonly detail: string }
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

  /** The body at `path`, or `undefined` on a 404 (a plain miss). */
  async get(path: string, transfer = false): Promise<HttpResult<Uint8Array | undefined>> {
    return this.#request(path, { method: "GET" }, transfer, async (response) => {
      if (response.status === 404) return undefined;
      return new Uint8Array(await response.arrayBuffer());
    });
  }

  /** Whether something is stored at `path` (used to skip re-uploading an object). */
  async has(path: string): Promise<HttpResult<boolean>> {
    return this.#request(path, { method: "HEAD" }, false, async (response) => response.status !== 404);
  }

  async put(path: string, body: Uint8Array, transfer = false): Promise<HttpResult<void>> {
    return this.#request(
      path,
      { method: "PUT", body, headers: { "content-type": "application/octet-stream" } },
      transfer,
      async () => undefined,
    );
  }

  async #request<T>(
    path: string,
    init: RequestInit,
    transfer: boolean,
    read: (response: Response) => Promise<T>,
  ): Promise<HttpResult<T>> {
    if (this.#down) return { ok: false, problem: { reason: "down", detail: this.#down.detail } };
    const url = `${this.#base}/${path}`;
    const timeoutMs = transfer ? this.#options.transferTimeoutMs : this.#options.timeoutMs;
    // The timeout covers the body as well as the headers: a server that
    // stalls mid-transfer is as slow as one that never answers.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, { ...init, headers: { ...this.#headers, ...(init.headers as Record<string, string>) }, signal });
      if (!response.ok && response.status !== 404) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, problem: { reason: "http-status", status: response.status, detail: `${init.method} ${url}: HTTP ${response.status}` } };
      }
      return { ok: true, value: await read(response) };
    } catch (error) {
      const timedOut = signal.aborted;
      const problem: HttpProblem = timedOut
        ? { reason: "timeout", detail: `${init.method} ${url}: no answer within ${timeoutMs} ms` }
        : { reason: "unreachable", detail: `${init.method} ${url}: ${describe(error)}` };
      this.#down = problem;
      return { ok: false, problem };
    }
  }
}

/** undici hides the useful part ("ECONNREFUSED") in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.message;
}
