/**
 * Lineage: from a live alias (or a release) back to everything that made
 * it, with digests: data snapshot, features, model, action and monitor
 * policy, gate evidence, the evaluation report, the stage keys that built
 * them, the approvals and every event that moved it.
 */
import type { Approval, Decision, GateResult, RegistryEvent, ReleaseManifest } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { ApprovalCheck } from "./approval-signature.js";
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
  /** Every recorded approval, with whether its signature verified against the role's allowed signers. */
  readonly approvals: readonly LineageApproval[];
  readonly decisions: readonly Decision[];
  /** Every event about this release (registration, moves, rollbacks), oldest first. */
  readonly events: readonly RegistryEvent[];
}

/** A recorded approval as lineage shows it. */
export type LineageApproval = Approval & {
  /** True when its signature verifies against the role's allowed signers. */
  readonly counted: boolean;
  /** Fingerprint of the key that signed it, when there is a signature. */
  readonly key: string | null;
  /** The allowed_signers names of that key (counted approvals only). */
  readonly signer: readonly string[];
  /** Why it does not count (absent when it does). */
  readonly why?: string;
};

/**
 * Resolves `ref` (`@alias`, a release name, or undefined for
 * `@production`) and traces it.
 */
export function traceLineage(
  state: RegistryState,
  project: string,
  ref = "@production",
  checks: readonly ApprovalCheck[] = [],
): Result<Lineage, RegistryRefusal> {
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
    approvals: state.approvals(project, record.release).map((approval) => withCheck(approval, checks)),
    decisions: state.decisions(project, record.release),
    events: state.eventsAbout(project, record.release),
  });
}

/** An approval with its check; one not checked at all does not count. */
function withCheck(approval: Approval, checks: readonly ApprovalCheck[]): LineageApproval {
  const check = checks.find((c) => c.approval.seq === approval.seq);
  if (check?.counted) return { ...approval, counted: true, key: check.fingerprint, signer: check.principals };
  return { ...approval, counted: false, key: check?.fingerprint ?? null, signer: [], why: check?.why ?? "its signature was not checked" };
}

/** The aliases a lineage without a ref shows, in order of preference: the release users get. */
const LIVE_ALIASES = ["production", "canary"] as const;

/**
 * The ref `lineage <project>` traces when none is given: `@production`, else
 * `@canary` while only the canary is live (right after a first promotion),
 * else `@production` (whose absence the refusal then explains).
 */
export function liveRef(state: RegistryState, project: string): { readonly ref: string; readonly unset: readonly string[] } {
  const unset: string[] = [];
  for (const alias of LIVE_ALIASES) {
    if (state.aliasTarget(project, alias) !== null) return { ref: `@${alias}`, unset };
    unset.push(alias);
  }
  return { ref: "@production", unset: [] };
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
