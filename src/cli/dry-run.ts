/**
 * What `status` and `explain` share: a dry run that computes every selected
 * stage's key and says, without executing or restoring anything, whether it
 * is fresh, missing outputs, or stale (and why).
 */
import type { CacheSession } from "../cache/index.js";
import { runBuild, type BuildOptions, type BuildResult } from "../exec/index.js";
import type { StageId } from "../pipeline/index.js";
import type { Context } from "./context.js";
import { explainStale } from "./explain-stale.js";

export function dryRun(
  cache: CacheSession,
  context: Context,
  selected: ReadonlySet<StageId>,
  assumedOutputs?: BuildOptions["assumedOutputs"],
): Promise<BuildResult> {
  return runBuild(cache, {
    ...(assumedOutputs ? { assumedOutputs } : {}),
    workspace: context.workspace,
    dag: context.dag,
    selected,
    jobs: 1,
    keepGoing: true,
    force: new Set(),
    dryRun: true,
    resources: {},
    params: (stage) => stage.params,
    explain: (stage, components) => explainStale(cache, stage, components),
    observer: {},
    signal: new AbortController().signal,
    invocation: "dry-run",
  });
}
