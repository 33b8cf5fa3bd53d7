/**
 * Everything one monitor pass reads besides the windows, gathered from the
 * registry and the object store: where the aliases point, the criteria each
 * live release shipped with, production's recorded metrics and reference
 * distributions, and the windows earlier passes already judged.
 */
import { join } from "node:path";
import type { ReleaseManifest } from "../../contracts/index.js";
import { ObjectStore } from "../cache/index.js";
import { Distribution, MonitorPolicy, type MonitorInput, type MonitorState } from "../monitor/index.js";
import { knownGoodReleases, recordedReferences, type RegistryState } from "../registry/index.js";
import { fail, ok, type Result } from "../util/result.js";

/** The monitor's view of one project, plus what it could not read. */
export interface MonitorView {
  readonly input: Omit<MonitorInput, "windows">;
  readonly judged: { readonly production: string | null; readonly canary: string | null };
  /** Reference distributions that could not be used, in words. */
  readonly warnings: readonly string[];
}

/** Builds the pass's inputs for `project`, or says why nothing can be judged. */
export async function monitorView(root: string, state: RegistryState, project: string): Promise<Result<MonitorView, string>> {
  const production = state.aliasTarget(project, "production");
  const canary = state.aliasTarget(project, "canary");
  if (production === null && canary === null) {
    const known = state.releases(project).length;
    return fail(
      known === 0
        ? `${project} has no releases in the registry; run its pipeline first`
        : `nothing of ${project} is live: neither canary nor production points at a release`,
    );
  }
  const manifestOf = (release: string): ReleaseManifest => state.release(project, release)!.manifest;
  const productionManifest = production === null ? undefined : manifestOf(production);
  const canaryManifest = canary === null ? undefined : manifestOf(canary);

  const policy = criteria(productionManifest ?? canaryManifest!);
  if (!policy.ok) return policy;
  const canaryPolicy = canaryManifest ? criteria(canaryManifest) : undefined;
  if (canaryPolicy && !canaryPolicy.ok) return canaryPolicy;

  const warnings: string[] = [];
  const references = productionManifest ? await referencesOf(root, productionManifest, warnings) : undefined;
  const lastKnownGood = knownGoodReleases(state, project, "production")[0];
  const canaryOpenedAt = canary === null ? undefined : state.alias(project, "canary")?.move.at;
  const monitorState: MonitorState = {
    ...(production !== null ? { production } : {}),
    ...(canary !== null ? { canary } : {}),
    ...(canaryOpenedAt !== undefined ? { canaryOpenedAt } : {}),
    ...(lastKnownGood !== undefined ? { lastKnownGood } : {}),
    seenWindows: judgedWindows(state, project),
  };
  return ok({
    input: {
      policy: policy.value,
      ...(canaryPolicy ? { canaryPolicy: canaryPolicy.value } : {}),
      state: monitorState,
      productionMetrics: productionManifest?.evaluation.metrics ?? {},
      ...(references ? { references } : {}),
    },
    judged: { production, canary },
    warnings,
  });
}

/** The criteria a release shipped with (its manifest is the policy of record). */
function criteria(manifest: ReleaseManifest): Result<MonitorPolicy, string> {
  const parsed = MonitorPolicy.safeParse(manifest.monitorPolicy.criteria);
  if (parsed.success) return ok(parsed.data);
  return fail(`release ${manifest.release} carries an invalid monitor policy: ${parsed.error.issues[0]?.message ?? "unknown problem"}`);
}

/**
 * Windows that earlier decisions rest on. With the decision keys this makes
 * a replay a no-op: a window already judged cannot trigger anything again.
 */
function judgedWindows(state: RegistryState, project: string): Set<string> {
  const seen = new Set<string>();
  for (const decision of state.decisions(project)) {
    const windows = decision.evidence["windows"];
    if (decision.key === null || !Array.isArray(windows)) continue;
    for (const w of windows) if (typeof w === "string") seen.add(w);
  }
  return seen;
}

/** The reference distributions of the release's evaluation report; what cannot be used becomes a warning. */
async function referencesOf(root: string, manifest: ReleaseManifest, warnings: string[]): Promise<Record<string, Distribution> | undefined> {
  const recorded = await recordedReferences(new ObjectStore(join(root, "cache")), manifest);
  warnings.push(...recorded.problems.map((problem) => `drift not fully checked: ${problem}`));
  return recorded.references;
}
