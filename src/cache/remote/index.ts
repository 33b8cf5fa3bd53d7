/**
 * Public surface of `cache/remote/`: the HTTP remote cache. Loaded with a
 * dynamic `import()` only when a remote is configured, so a local run pays
 * nothing for it.
 */
export { HttpRemoteCache, type RemoteCacheConfig } from "./http-remote-cache.js";
export { resolveRemoteConfig, type RemoteCacheSources } from "./remote-config.js";
export { actionPath, casPath, sha256, WIRE_FORMAT, type WireRecord } from "./wire-record.js";
