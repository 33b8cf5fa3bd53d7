/**
 * Options shared by the commands that read a git revision's results
 * (`metrics diff`, `plots diff`): its files come from its sluice.lock and
 * the cache, and the cache may be a remote one.
 */

/** `--remote-cache`: where a revision's files are fetched from when the local cache lacks them. */
export const REMOTE_CACHE_OPTION = {
  type: "string",
  describe: "a remote cache to fetch a revision's results from when the local cache lacks them (default: SLUICE_REMOTE_CACHE or the pipeline's remoteCache)",
} as const;
