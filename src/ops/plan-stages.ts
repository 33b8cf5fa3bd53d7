/**
 * What `status` and `explain` share: a plan that computes every selected
 * stage's key and says, without executing or restoring anything, whether it
 * is fresh, missing outputs, or stale (and why).
 */
import type { CacheSession } from "../cache/index.js";
import { planBuild, type BuildResult, type PlanOptions } from "../exec/index.js";
import type { StageId } from "../pipeline/index.js";
import { explainStale } from "./explain-stale.js";
import type { LoadedWorkspace } from "./run-once.js";

export function planStages(
  cache: CacheSession,
  context: LoadedWorkspace,
  selected: ReadonlySet<StageId>,
  assumedOutputs?: PlanOptions["assumedOutputs"],
): Promise<BuildResult> {
  return planBuild(cache, {
    ...(assumedOutputs ? { assumedOutputs } : {}),
    workspace: context.workspace,
    dag: context.dag,
    selected,
    explain: (stage, components) => explainStale(cache, stage, components),
  });
}
