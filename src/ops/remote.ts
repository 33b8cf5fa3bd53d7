/**
 * The remote cache a run or a plan uses: the flag, SLUICE_REMOTE_CACHE or
 * the root pipeline's `remoteCache`, loaded with a dynamic import only when
 * one is configured (a local run pays nothing for it).
 */
import type { HttpRemoteCache, StageKey } from "../cache/index.js";
import type { Workspace } from "../pipeline/index.js";
import { ok } from "../util/result.js";
import { refuse, type OpResult } from "./failure.js";

/** The remote options a command accepts (`run`, `plan`). */
export interface RemoteArgs {
  readonly remoteCache?: string | undefined;
  readonly remoteCacheReadOnly?: boolean | undefined;
}

/** The configured remote cache (undefined when none), or a usage failure for a malformed URL. */
export async function openRemote(argv: RemoteArgs, workspace: Workspace): Promise<OpResult<HttpRemoteCache | undefined>> {
  const flag = argv.remoteCache === "" ? undefined : argv.remoteCache;
  if (flag === undefined && !process.env["SLUICE_REMOTE_CACHE"] && workspace.remoteCache === undefined) return ok(undefined);
  const { HttpRemoteCache, resolveRemoteConfig } = await import("../cache/remote/index.js");
  const config = resolveRemoteConfig({
    flag,
    readOnlyFlag: argv.remoteCacheReadOnly === true,
    workspaceOption: workspace.remoteCache,
    env: process.env,
  });
  if (!config.ok) return refuse("usage", config.error);
  return ok(config.value ? new HttpRemoteCache(config.value) : undefined);
}

/** Durations from remote records, silently: a planning aid is no place for warnings. */
export function peekDuration(remote: HttpRemoteCache | undefined): ((key: StageKey) => Promise<number | undefined>) | undefined {
  if (!remote) return undefined;
  return async (key) => (await remote.peek(key, () => undefined))?.record.durationMs;
}
