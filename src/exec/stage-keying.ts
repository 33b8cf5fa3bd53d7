/**
 * A stage's key: the digests of its deps and its effective params folded
 * into its key components (see cache/stage-key.ts), and whether it runs
 * whatever its key finds.
 */
import { stageComponents, stageKey, type CacheSession, type Digest, type KeyComponents, type StageKey } from "../cache/index.js";
import type { Json, Stage, StageId } from "../pipeline/index.js";
import { depDigests, type ExternalValues, type OutputDigest } from "./dep-digests.js";
import type { StageFailure } from "./events.js";

/** A stage's key and what it was computed from, or why a dep has no digest. */
export type KeyedStage =
  | {
      readonly ok: true;
      readonly key: StageKey;
      readonly components: KeyComponents;
      readonly depDigests: ReadonlyMap<string, Digest>;
    }
  | { readonly ok: false; readonly failure: StageFailure };

export async function keyStage(
  cache: CacheSession,
  externals: ExternalValues,
  stage: Stage,
  params: Readonly<Record<string, Json>>,
  outputDigest: OutputDigest,
): Promise<KeyedStage> {
  const digests = await depDigests(stage, outputDigest, cache.statCache, externals);
  if (!digests.ok) return digests;
  const components = await stageComponents(stage, params, digests.digests, cache.code);
  return { ok: true, key: stageKey(components), components, depDigests: digests.digests };
}

/** Stages that run even when they are hits (`--force`). */
export type ForceSet = "all" | ReadonlySet<StageId>;

/** Whether `stage` executes whatever its key finds: forced by the caller, or declared `alwaysRun`. */
export function forcedToRun(force: ForceSet, stage: Stage): boolean {
  return force === "all" || force.has(stage.id) || stage.alwaysRun;
}
