/**
 * Lineage: from a live alias (or a release) back to everything that made
 * it, with digests: data snapshot, features, model, action and monitor
 * policy, gate evidence, the evaluation report, the stage keys that built
 * them, the approvals and every event that moved it.
 */
import type { Approval, Decision, GateResult, RegistryEvent, ReleaseManifest } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";

/** The traced lineage of one release. */
export interface Lineage {
  readonly project: string;
  readonly release: string;
  /** What was asked for: `@production` or the release name. */
  readonly ref: string;
  readonly manifestDigest: string;
  /** Aliases that point at this release now. */
  readonly liveAs: readonly string[];
  readonly data: ReleaseManifest["data"];
  readonly features: ReleaseManifest["features"];
  readonly model: ReleaseManifest["model"];
  readonly actionPolicy: ReleaseManifest["actionPolicy"];
  readonly monitorPolicy: { readonly id: string; readonly digest: string };
  readonly gates: readonly GateResult[];
  readonly evaluation: ReleaseManifest["evaluation"];
  readonly build: ReleaseManifest["lineage"];
  /** Line of the registration event. */
  readonly registeredAt: number;
  readonly approvals: readonly Approval[];
  readonly decisions: readonly Decision[];
  /** Every event about this release (registration, moves, rollbacks), oldest first. */
  readonly events: readonly RegistryEvent[];
}

/**
 * Resolves `ref` (`@alias`, a release name, or undefined for
 * `@production`) and traces it.
 */
export function traceLineage(state: RegistryState, project: string, ref = "@production"): Result<Lineage, RegistryRefusal> {
  const release = resolveRef(state, project, ref);
  if (!release.ok) return release;
  const record = state.release(project, release.value);
  if (!record) {
    return fail({ reason: "unknown-release", project, release: release.value, known: state.releases(project).map((r) => r.release) });
  }
  const m = record.manifest;
  return ok({
    project,
    release: record.release,
    ref,
    manifestDigest: record.manifestDigest,
    liveAs: state.aliases(project).filter((a) => a.release === record.release).map((a) => a.alias),
    data: m.data,
    features: m.features,
    model: m.model,
    actionPolicy: m.actionPolicy,
    monitorPolicy: { id: m.monitorPolicy.id, digest: m.monitorPolicy.digest },
    gates: m.gates,
    evaluation: m.evaluation,
    build: m.lineage,
    registeredAt: record.seq,
    approvals: state.approvals(project, record.release),
    decisions: state.decisions(project, record.release),
    events: state.eventsAbout(project, record.release),
  });
}

/** `@alias` -> the release it holds; anything else is a release name. */
export function resolveRef(state: RegistryState, project: string, ref: string): Result<string, RegistryRefusal> {
  if (!ref.startsWith("@")) return ok(ref);
  const alias = ref.slice(1);
  const target = state.aliasTarget(project, alias);
  if (target === null) {
    if (state.releases(project).length === 0) return fail({ reason: "unknown-project", project, known: projectsOf(state) });
    return fail({ reason: "unknown-alias", project, alias });
  }
  return ok(target);
}

function projectsOf(state: RegistryState): string[] {
  return [...new Set(state.releases().map((r) => r.project))].sort();
}
