/**
 * `sluice explain <stage>`: a plan of one stage and its upstream, and what
 * its key is made of now against its last run's (`sluice.lock`), in the
 * words `explain` uses ("params.lr 0.1 -> 0.2"), with where it executes.
 */
import { openCache, readLockFile, type KeyComponents, type StageKey } from "../cache/index.js";
import { matchTargets, withUpstream } from "../graph/index.js";
import type { ExecutorName, StageId } from "../pipeline/index.js";
import { freshness, type Freshness } from "../report/index.js";
import { refuse, refuseWith, type OpResult } from "./failure.js";
import { planStages } from "./plan-stages.js";
import type { LoadedWorkspace } from "./run-once.js";

export interface StageExplanation {
  readonly id: StageId;
  readonly state: Freshness;
  readonly key: string | null;
  /** The key `sluice.lock` records for its last run. */
  readonly lastKey: string | null;
  /** What changed (stale), which outputs differ (missing, modified), why it cannot be planned (blocked), or that the key matches (fresh). */
  readonly changes: readonly string[];
  /** The components of its last run's key, from its run record. */
  readonly components: KeyComponents | null;
  /** Where it executes; never part of the key. */
  readonly executor: ExecutorName;
}

export async function explainStage(loaded: LoadedWorkspace, stageText: string): Promise<OpResult<StageExplanation>> {
  const matched = matchTargets(loaded.dag, [stageText]);
  if (!matched.ok) return refuseWith(matched.error);
  if (matched.value.size !== 1) return refuse("usage", `"${stageText}" matches ${matched.value.size} stages; name one stage id`);
  const id = [...matched.value][0] as StageId;
  const cache = await openCache(loaded.root);
  const build = await planStages(cache, loaded, withUpstream(loaded.dag, [id]));
  const result = build.results.find((r) => r.id === id);
  if (!result) return refuse("failed", `${id} could not be planned`);
  const locked = readLockFile(cache.layout.lockFile).stages[id];
  const record = locked ? (await cache.records.get(locked.key as StageKey)).record : undefined;
  const state = freshness(result);
  return {
    ok: true,
    value: {
      id,
      state,
      key: result.key ?? null,
      lastKey: locked?.key ?? null,
      changes: state === "fresh" ? [`key ${result.key} matches its last run`] : result.failure ? [result.failure.message] : result.why,
      components: record?.components ?? null,
      executor: loaded.workspace.stages.get(id)?.executor ?? "local",
    },
  };
}
