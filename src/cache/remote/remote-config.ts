/**
 * Where the remote cache URL and its options come from, first match wins:
 *
 *   --remote-cache <url>   >   SLUICE_REMOTE_CACHE   >   remoteCache in the root pipeline.ts
 *
 * `--remote-cache-read-only` (or SLUICE_REMOTE_CACHE_READ_ONLY=1) fetches
 * without uploading; SLUICE_CACHE_KEY turns on signed records;
 * SLUICE_REMOTE_CACHE_TIMEOUT_MS bounds each small request (default 5 s).
 */
import type { RemoteCacheConfig } from "./http-remote-cache.js";

/** What the caller gathered; environment values are passed in so this stays pure. */
export interface RemoteCacheSources {
  readonly flag: string | undefined;
  readonly readOnlyFlag: boolean;
  readonly workspaceOption: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_TIMEOUT_MS = 5_000;
/** Objects can be models of hundreds of megabytes; still bounded. */
const DEFAULT_TRANSFER_TIMEOUT_MS = 300_000;

/**
 * The configuration, `undefined` when no remote is configured (or it is
 * turned off with `--remote-cache off`), or a usage message.
 */
export function resolveRemoteConfig(
  sources: RemoteCacheSources,
): { ok: true; value: RemoteCacheConfig | undefined } | { ok: false; error: string } {
  const raw = sources.flag ?? nonEmpty(sources.env["SLUICE_REMOTE_CACHE"]) ?? sources.workspaceOption;
  if (raw === undefined || raw === "off") return { ok: true, value: undefined };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `remote cache URL ${JSON.stringify(raw)} is not a URL (expected http://host:port/path)` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, error: `remote cache URL ${JSON.stringify(raw)} must be http:// or https://` };
  }
  const timeout = nonEmpty(sources.env["SLUICE_REMOTE_CACHE_TIMEOUT_MS"]);
  const timeoutMs = timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    return { ok: false, error: `SLUICE_REMOTE_CACHE_TIMEOUT_MS must be a positive number of milliseconds (got ${JSON.stringify(timeout)})` };
  }
  const readOnlyEnv = nonEmpty(sources.env["SLUICE_REMOTE_CACHE_READ_ONLY"]);
  return {
    ok: true,
    value: {
      url: raw.replace(/\/+$/, ""),
      readOnly: sources.readOnlyFlag || (readOnlyEnv !== undefined && readOnlyEnv !== "0" && readOnlyEnv !== "false"),
      signingKey: nonEmpty(sources.env["SLUICE_CACHE_KEY"]),
      timeoutMs,
      transferTimeoutMs: Math.max(DEFAULT_TRANSFER_TIMEOUT_MS, timeoutMs),
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
