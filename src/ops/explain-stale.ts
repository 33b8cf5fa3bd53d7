/** Why a stage's current key differs from its last successful run (the key in sluice.lock). */
import { readLockFile, type CacheSession, type KeyComponents, type StageKey } from "../cache/index.js";
import type { Stage } from "../pipeline/index.js";
import { explainChange } from "../report/index.js";

export async function explainStale(cache: CacheSession, stage: Stage, components: KeyComponents): Promise<string[]> {
  const locked = readLockFile(cache.layout.lockFile).stages[stage.id];
  if (!locked) return ["never ran"];
  const { record } = await cache.records.get(locked.key as StageKey);
  if (!record) return [`no run record for this key (the last run's record ${locked.key} is not in this cache)`];
  const changes = explainChange(record.components, components);
  return changes.length > 0 ? changes : ["no run record for this key"];
}
