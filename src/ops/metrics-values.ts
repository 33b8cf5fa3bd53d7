/**
 * `metrics show` and `metrics diff`: the values of the declared metrics
 * files in the workspace, and their changes between two sides.
 */
import type { Workspace } from "../pipeline/index.js";
import { ok } from "../util/result.js";
import { sideFiles, sidesOf } from "./compare-sides.js";
import { refuse, type OpResult } from "./failure.js";
import { workspaceFiles } from "./output-files.js";
import type { RemoteArgs } from "./remote.js";
import { compareValues, metricsOn, type TrackedSide, type ValueChange } from "./tracked-values.js";

/** The comparison of two sides' metrics, labelled, with what could not be read on either. */
export interface MetricsDiff {
  readonly a: string;
  readonly b: string;
  /** Every value found on either side, changed or not. */
  readonly rows: readonly ValueChange[];
  readonly problems: readonly string[];
}

/** The workspace's metrics. */
export async function metricsShow(workspace: Workspace): Promise<TrackedSide> {
  return metricsOn(workspace, workspaceFiles(workspace.root));
}

/** `revA` (default HEAD) against `revB` (default the workspace); an unknown revision is a usage failure. */
export async function metricsDiff(workspace: Workspace, revA: string | undefined, revB: string | undefined, remoteArgs: RemoteArgs): Promise<OpResult<MetricsDiff>> {
  const sides = sidesOf(workspace.root, revA, revB);
  if (!sides.ok) return refuse("usage", sides.problem);
  const files = await sideFiles(workspace, [sides.a, sides.b], remoteArgs);
  if (!files.ok) return files;
  const [a, b] = await Promise.all(files.value.map((f) => metricsOn(workspace, f)));
  const [before, after] = [a as TrackedSide, b as TrackedSide];
  return ok({
    a: sides.a.label,
    b: sides.b.label,
    rows: compareValues(before, after),
    problems: [...before.problems.map((p) => `${sides.a.label}: ${p}`), ...after.problems.map((p) => `${sides.b.label}: ${p}`)],
  });
}
