/**
 * CI sharding glue between the cache and the pure partitioner in `graph/`:
 * the expected duration of each stage, the `sluice plan --json` document,
 * and reading that document back for `sluice run --shard i/N --shard-plan`.
 *
 * A stage's expected duration is the `durationMs` of its last run, looked up
 * by the key `sluice.lock` holds for it: in the local run records, then in
 * the remote cache (a fresh CI checkout has only the lock and the remote),
 * then in the local run history; stages never run count as the median of
 * the known ones.
 */
import { readFile } from "node:fs/promises";
import { openCache, readHistory, readLockFile, type CacheSession, type HttpRemoteCache, type StageKey } from "../cache/index.js";
import { parseShardSpec, partitionShards, selectTargets, withUpstream, type Dag, type ShardPlan } from "../graph/index.js";
import type { StageId } from "../pipeline/index.js";
import { ok } from "../util/result.js";
import { refuse, refuseWith, type OpResult } from "./failure.js";
import { openRemote, peekDuration, type RemoteArgs } from "./remote.js";
import type { LoadedWorkspace } from "./run-once.js";

/** Where an expected duration came from. */
export type DurationSource = "run-record" | "remote-record" | "history" | "default";

export interface StageDuration {
  readonly ms: number;
  readonly from: DurationSource;
}

/** Reads a remote record without its objects (the HTTP remote's `peek`). */
export type PeekDuration = (key: StageKey) => Promise<number | undefined>;

/** The `sluice plan --shards N --json` document. */
export interface ShardPlanDocument extends ShardPlan {
  readonly durations: Readonly<Record<string, StageDuration>>;
}

const FALLBACK_MS = 1_000;

export async function stageDurations(
  cache: CacheSession,
  selected: ReadonlySet<StageId>,
  peek: PeekDuration | undefined,
): Promise<Map<StageId, StageDuration>> {
  const lock = readLockFile(cache.layout.lockFile);
  const lastRun = new Map<string, number>();
  for (const entry of await readHistory(cache.layout.history)) {
    if (entry.status !== "failed") lastRun.set(entry.stage, entry.durationMs);
  }
  const known = new Map<StageId, StageDuration>();
  await Promise.all(
    [...selected].map(async (id) => {
      const key = lock.stages[id]?.key as StageKey | undefined;
      const local = key ? (await cache.records.get(key)).record : undefined;
      if (local) return void known.set(id, { ms: local.durationMs, from: "run-record" });
      const remote = key && peek ? await peek(key) : undefined;
      if (remote !== undefined) return void known.set(id, { ms: remote, from: "remote-record" });
      const history = lastRun.get(id);
      if (history !== undefined) known.set(id, { ms: history, from: "history" });
    }),
  );
  const fallback = median([...known.values()].map((d) => d.ms)) ?? FALLBACK_MS;
  const durations = new Map<StageId, StageDuration>();
  for (const id of [...selected].sort()) durations.set(id, known.get(id) ?? { ms: fallback, from: "default" });
  return durations;
}

/** Plans `count` shards of `selected`, with the durations it balanced by. */
export function planDocument(
  dag: Dag,
  selected: ReadonlySet<StageId>,
  count: number,
  durations: ReadonlyMap<StageId, StageDuration>,
): ShardPlanDocument {
  const weights = new Map([...durations].map(([id, d]) => [id, d.ms]));
  const plan = partitionShards(dag, selected, count, weights);
  return { ...plan, durations: Object.fromEntries(durations) };
}

/**
 * The stages of shard `index` from a plan document written by `sluice plan
 * --json`, or a message saying why the file cannot be used.
 */
export async function readShardFromPlan(
  path: string,
  index: number,
  count: number,
  known: ReadonlySet<StageId>,
): Promise<{ ok: true; stages: StageId[] } | { ok: false; error: string }> {
  let parsed: Partial<ShardPlanDocument>;
  try {
    parsed = JSON.parse(await readFile(path, "utf8")) as Partial<ShardPlanDocument>;
  } catch (error) {
    return { ok: false, error: `--shard-plan ${path}: cannot read it as JSON (${(error as Error).message})` };
  }
  if (parsed.count !== count || !Array.isArray(parsed.shards)) {
    return { ok: false, error: `--shard-plan ${path}: a plan for ${String(parsed.count)} shards, but --shard asks for ${count}` };
  }
  const shard = parsed.shards.find((s) => s?.index === index);
  if (!shard || !Array.isArray(shard.stages)) return { ok: false, error: `--shard-plan ${path}: no shard ${index}` };
  const unknown = shard.stages.filter((id: StageId) => !known.has(id));
  if (unknown.length > 0) {
    return { ok: false, error: `--shard-plan ${path}: unknown stages ${unknown.join(", ")} (the pipeline changed since the plan; plan again)` };
  }
  return { ok: true, stages: [...shard.stages] };
}

/** The stages of `--shard i/N`, with their upstream: from `--shard-plan`'s document, else planned here. */
export async function shardStages(
  dag: Dag,
  cache: CacheSession,
  remote: HttpRemoteCache | undefined,
  selected: ReadonlySet<StageId>,
  request: { readonly shard?: string | undefined; readonly shardPlan?: string | undefined },
): Promise<OpResult<ReadonlySet<StageId>>> {
  const spec = parseShardSpec(request.shard ?? "");
  if (!spec) return refuse("usage", `--shard ${request.shard}: expected i/N with 1 <= i <= N, e.g. --shard 2/4`);
  if (request.shardPlan) {
    const fromPlan = await readShardFromPlan(request.shardPlan, spec.index, spec.count, new Set(dag.stages.keys()));
    if (!fromPlan.ok) return refuse("usage", fromPlan.error);
    return ok(withUpstream(dag, fromPlan.stages));
  }
  const durations = await stageDurations(cache, selected, peekDuration(remote));
  const plan = planDocument(dag, selected, spec.count, durations);
  return ok(new Set(plan.shards[spec.index - 1]?.stages ?? []));
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * `sluice plan`: the targets split into `shards` dependency-closed shards,
 * balanced by recorded durations (the remote cache's records too, read-only).
 */
export async function planShards(
  loaded: LoadedWorkspace,
  request: RemoteArgs & { readonly targets: readonly string[]; readonly shards: number },
): Promise<OpResult<ShardPlanDocument>> {
  if (!Number.isInteger(request.shards) || request.shards < 1) return refuse("usage", `--shards must be a positive whole number (got ${request.shards})`);
  const selected = selectTargets(loaded.dag, request.targets);
  if (!selected.ok) return refuseWith(selected.error);
  const remote = await openRemote({ ...request, remoteCacheReadOnly: true }, loaded.workspace);
  if (!remote.ok) return remote;
  const cache = await openCache(loaded.root);
  const durations = await stageDurations(cache, selected.value, peekDuration(remote.value));
  return ok(planDocument(loaded.dag, selected.value, request.shards, durations));
}
