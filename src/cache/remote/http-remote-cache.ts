/**
 * The remote cache over HTTP, in the layout of the Bazel HTTP cache protocol
 * that bazel-remote, nginx (WebDAV PUT) and any plain object store accept:
 *
 *   GET/PUT <url>/ac/<sha256 of stage key>   the run record (a `WireRecord`)
 *   GET/PUT <url>/cas/<sha256 of bytes>      one object
 *
 * Reading: record first (a few MB at most), checked against the stage's
 * declared outputs before anything else is fetched; then the objects its
 * outputs and log name, each streamed to a temp file under the byte length
 * its digest carries and checked against both its SHA-256 and its local
 * xxh64 digest before it enters the local store; a directory's manifest is
 * checked (see `parseDirManifest`) before its files are fetched. The record
 * is written locally only once all are in.
 * Writing: objects first, the record last, so a reader never finds a record
 * whose objects are not there yet.
 */
import { rm } from "node:fs/promises";
import type { StageOut } from "../../pipeline/index.js";
import type { CacheSession } from "../cache-session.js";
import { digestFile, digestSize, type Digest } from "../digest.js";
import { parseDirManifest } from "../dir-manifest.js";
import { recordOutputsMismatch } from "../record-shape.js";
import type { RemoteCache } from "../remote-cache.js";
import { storedOuts, type RecordedOut, type RunRecord } from "../run-record.js";
import type { StageKey } from "../stage-key.js";
import { HttpStore, type HttpProblem } from "./http-store.js";
import { actionPath, casPath, decodeWireRecord, encodeWireRecord, sha256, type WireRecord } from "./wire-record.js";

/** A resolved remote cache configuration. */
export interface RemoteCacheConfig {
  /** Base URL without a trailing slash. */
  readonly url: string;
  /** Fetch only; never upload (untrusted runners, pull-request builds). */
  readonly readOnly: boolean;
  /** HMAC key for signing and checking records (`SLUICE_CACHE_KEY`). */
  readonly signingKey: string | undefined;
  /** Bound on a record request or a HEAD, in milliseconds. */
  readonly timeoutMs: number;
  /** Bound on one object transfer, in milliseconds. */
  readonly transferTimeoutMs: number;
}

type Warn = (message: string) => void;

/** Object transfers in flight per record: enough to hide latency, few enough to bound open connections. */
const TRANSFERS = 8;
/** The most a record may take on the wire: outputs, decisions and metrics are small. */
const RECORD_LIMIT = 4 << 20;
/** The most a directory manifest may take (read whole into memory): ~200k files. */
const MANIFEST_LIMIT = 32 << 20;
/** The most a log may take: a hit replays it from memory. */
const LOG_LIMIT = 64 << 20;

/** The `RemoteCache` the engine uses when a remote URL is configured; one per process. */
export class HttpRemoteCache implements RemoteCache {
  readonly label: string;
  readonly #config: RemoteCacheConfig;
  readonly #http: HttpStore;
  /** SHA-256 names seen corrupt on the server: reported once, re-uploaded by the next publish. */
  readonly #corrupt = new Set<string>();
  #warnedDown = false;
  #warnedRedirect = false;

  constructor(config: RemoteCacheConfig) {
    this.#config = config;
    this.#http = new HttpStore({ baseUrl: config.url, timeoutMs: config.timeoutMs, transferTimeoutMs: config.transferTimeoutMs });
    this.label = `${redact(config.url)}${config.readOnly ? " (read-only)" : ""}${config.signingKey ? " (signed)" : ""}`;
  }

  /** The base URL, for a cluster job to reach the same cache. */
  get url(): string {
    return this.#config.url;
  }

  /** True when this process may only fetch. */
  get readOnly(): boolean {
    return this.#config.readOnly;
  }

  async fetch(key: StageKey, declared: readonly StageOut[], local: CacheSession, warn: Warn): Promise<RunRecord | undefined> {
    const wire = await this.peek(key, warn);
    if (!wire) return undefined;
    const { record } = wire;
    // Before any download: the restore trusts the declared kinds, so a record
    // that calls a directory a file (or adds outputs) is refused whole.
    const mismatch = recordOutputsMismatch(declared, record.outs);
    if (mismatch) {
      warn(`ignoring the remote record ${key}: ${mismatch}`);
      return undefined;
    }
    const flagged = declared.find((out) => (record.outs[out.name]?.cached === false) === out.cached);
    if (flagged) {
      warn(`ignoring the remote record ${key}: it says output "${flagged.name}" is ${flagged.cached ? "not " : ""}cached, the stage declares otherwise`);
      return undefined;
    }
    // An output declared `cache: false` has no bytes anywhere but a workspace: only its digest comes along.
    const outs = declared.filter((out) => out.cached).map((out) => record.outs[out.name] as RecordedOut);
    const hugeManifest = outs.find((out) => out.kind === "dir" && digestSize(out.digest) > MANIFEST_LIMIT);
    if (hugeManifest) {
      warn(`ignoring the remote record ${key}: the manifest of ${hugeManifest.path} would be over ${MANIFEST_LIMIT} bytes`);
      return undefined;
    }
    if (digestSize(record.log) > LOG_LIMIT) {
      warn(`ignoring the remote record ${key}: its log would be over ${LOG_LIMIT} bytes`);
      return undefined;
    }
    const download = (digest: Digest) => this.#download(digest, wire, local, warn);
    // Outputs and log first; a directory's manifest must be in before its files can be named.
    const top = [...new Set([...outs.map((o) => o.digest), record.log])];
    if (!(await allWithin(top, TRANSFERS, download))) return undefined;
    for (const out of outs) {
      if (out.kind !== "dir") continue;
      const manifest = await local.store.readVerified(out.digest);
      if (!manifest.ok) return undefined;
      // The manifest came from someone else's machine: a name escaping the
      // output directory would make a restore write outside the workspace.
      const parsed = parseDirManifest(manifest.bytes);
      if (!parsed.ok) {
        warn(`ignoring the remote record ${key}: directory output ${out.path}: ${parsed.problem}`);
        return undefined;
      }
      if (!(await allWithin([...new Set(parsed.files.map(([, d]) => d))], TRANSFERS, download))) return undefined;
    }
    await local.records.put(record);
    return record;
  }

  /**
   * The remote record for `key` without its objects (plan uses it for
   * durations); undefined on a miss or when it cannot be trusted.
   */
  async peek(key: StageKey, warn: Warn): Promise<WireRecord | undefined> {
    const got = await this.#http.get(actionPath(key), RECORD_LIMIT);
    if (!got.ok) {
      this.#problem(got.problem, warn, `could not read the remote record ${key}`);
      return undefined;
    }
    if (!got.value) return undefined;
    const decoded = decodeWireRecord(got.value, key, this.#config.signingKey);
    if (!decoded.ok) {
      const why = decoded.problem.reason === "malformed-record"
        ? `it is malformed (${decoded.problem.detail})`
        : decoded.problem.reason === "unsigned-record" ? "it is not signed (SLUICE_CACHE_KEY is set)" : "its signature does not match SLUICE_CACHE_KEY";
      warn(`ignoring the remote record ${key}: ${why}`);
      return undefined;
    }
    return decoded.value;
  }

  async publish(record: RunRecord, local: CacheSession, warn: Warn): Promise<void> {
    if (this.#config.readOnly || this.#http.down) return;
    const objects: Record<string, string> = {};
    const upload = async (digest: Digest): Promise<boolean> => {
      const read = await local.store.readVerified(digest);
      // Never offer a record whose objects we could not upload intact.
      if (!read.ok) {
        warn(`not uploading ${record.stage}: local object ${digest} is ${read.problem.reason}`);
        return false;
      }
      const sha = sha256(read.bytes);
      objects[digest] = sha;
      if (!this.#corrupt.has(sha)) {
        // HEAD first: the bytes of an unchanged model are already there.
        const present = await this.#http.has(casPath(sha));
        if (!present.ok) return this.#problem(present.problem, warn, `could not upload ${record.stage}`);
        if (present.value) return true;
      }
      const put = await this.#http.put(casPath(sha), read.bytes, true);
      if (!put.ok) return this.#problem(put.problem, warn, `could not upload ${record.stage}`);
      this.#corrupt.delete(sha);
      return true;
    };
    if (!(await allWithin(await localObjects(record, local), TRANSFERS, upload))) return;
    // The record last: a reader never finds a record whose objects are not all there.
    const put = await this.#http.put(actionPath(record.key), encodeWireRecord(record, objects, this.#config.signingKey));
    if (!put.ok) this.#problem(put.problem, warn, `could not upload the record of ${record.stage}`);
  }

  /** Ensures one object is in the local store; false (a miss) when it cannot be had intact. */
  async #download(digest: Digest, wire: WireRecord, local: CacheSession, warn: Warn): Promise<boolean> {
    if (await local.store.has(digest)) return true;
    const sha = wire.objects[digest];
    if (!sha) {
      warn(`the remote record ${wire.record.key} does not map object ${digest}; treating it as a miss`);
      return false;
    }
    if (this.#corrupt.has(sha)) return false;
    const size = digestSize(digest);
    const temp = await local.store.tempPath(`remote-${sha}`);
    const got = await this.#http.download(casPath(sha), temp, size);
    if (!got.ok && got.problem.reason === "too-large") return this.#corruptObject(sha, digest, `it is longer than the ${size} bytes its digest says`, warn);
    if (!got.ok) return this.#problem(got.problem, warn, `could not download object ${digest}`);
    if (!got.value) {
      warn(`the remote has the record ${wire.record.key} but not its object ${digest}; treating it as a miss`);
      return false;
    }
    const actual = got.value.size === size ? await digestFile(temp) : undefined;
    if (got.value.sha256 !== sha || actual !== digest) {
      await rm(temp, { force: true });
      return this.#corruptObject(sha, digest, `got ${actual ?? `${got.value.size} bytes`}`, warn);
    }
    await local.store.adopt(temp, digest);
    return true;
  }

  /** Reported once per object; the stage rebuilds and the next publish repairs the server copy. */
  #corruptObject(sha: string, digest: Digest, what: string, warn: Warn): false {
    this.#corrupt.add(sha);
    warn(`remote object cas/${sha} is corrupt (expected ${digest}, ${what}); not using it, the stage runs locally`);
    return false;
  }

  /** Reports a failed request (an unreachable remote only once per process); always false, for `return`. */
  #problem(problem: HttpProblem, warn: Warn, what: string): false {
    if (problem.reason === "redirect") {
      // A server redirecting elsewhere does it for every request: said once.
      if (!this.#warnedRedirect) warn(`${what}: ${problem.detail}`);
      this.#warnedRedirect = true;
    } else if (problem.reason === "http-status" || problem.reason === "too-large" || problem.reason === "local-io") warn(`${what}: ${problem.detail}`);
    else if (problem.reason !== "down" && !this.#warnedDown) {
      this.#warnedDown = true;
      warn(`remote cache ${this.label} is unreachable (${problem.detail}); continuing with the local cache only`);
    }
    return false;
  }
}

/**
 * Runs `task` over `items`, at most `limit` at a time; false as soon as one
 * returns false (no new task starts after that).
 */
async function allWithin<T>(items: readonly T[], limit: number, task: (item: T) => Promise<boolean>): Promise<boolean> {
  let next = 0;
  let ok = true;
  const worker = async () => {
    while (ok && next < items.length) {
      const item = items[next++] as T;
      if (!(await task(item))) ok = false;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return ok;
}

/** Every object a record needs: outputs (with the files of directory outputs) and the log. */
async function localObjects(record: RunRecord, local: CacheSession): Promise<Digest[]> {
  const digests: Digest[] = [];
  for (const out of storedOuts(record)) {
    if (out.kind === "dir") {
      const manifest = await local.store.readVerified(out.digest);
      const parsed = manifest.ok ? parseDirManifest(manifest.bytes) : undefined;
      if (parsed?.ok) digests.push(...parsed.files.map(([, digest]) => digest));
    }
    digests.push(out.digest); // after its files: the manifest names them
  }
  digests.push(record.log);
  return [...new Set(digests)];
}

/** A URL fit for messages: no user or password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}
