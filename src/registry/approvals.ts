/**
 * Approvals: who signed off a release for an alias. The policy names the
 * roles each alias needs; with separation of duties, an approval by the
 * person who created the release does not count.
 */
import type { ProjectPolicy } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { EventDraft } from "./event-draft.js";
import { checkNames } from "./name-check.js";
import { policyRoles } from "./policy.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";

/** What is still missing before `release` may move `alias`. */
export interface ApprovalGap {
  /** Roles with no qualifying approval, sorted. */
  readonly missing: string[];
  /** Approvals discounted by separation of duties. */
  readonly discounted: { role: string; by: string }[];
}

/** Compares recorded approvals with what the policy requires for `alias`. */
export function approvalGap(state: RegistryState, policy: ProjectPolicy, project: string, release: string, alias: string): ApprovalGap {
  const rule = policy.approvals[alias];
  if (!rule) return { missing: [], discounted: [] };
  const creator = state.release(project, release)?.manifest.lineage.createdBy;
  const approvals = state.approvals(project, release);
  const missing: string[] = [];
  const discounted: { role: string; by: string }[] = [];
  for (const role of [...rule.roles].sort()) {
    const forRole = approvals.filter((a) => a.role === role);
    const counted = forRole.filter((a) => !rule.separationOfDuties || a.by !== creator);
    if (counted.length > 0) continue;
    missing.push(role);
    for (const a of forRole) discounted.push({ role, by: a.by });
  }
  return { missing, discounted };
}

/** A requested approval. */
export interface ApprovalRequest {
  readonly project: string;
  readonly release: string;
  readonly role: string;
  readonly by: string;
  readonly note: string;
}

/** Plans an approval; approving twice (same role, same person) appends nothing. */
export function planApproval(
  state: RegistryState,
  policy: ProjectPolicy,
  request: ApprovalRequest,
): Result<readonly EventDraft[], RegistryRefusal> {
  const { project, release, role, by, note } = request;
  const names = checkNames({ project, release });
  if (!names.ok) return names;
  if (!state.release(project, release)) {
    return fail({ reason: "unknown-release", project, release, known: state.releases(project).map((r) => r.release) });
  }
  const roles = policyRoles(policy);
  if (!roles.includes(role)) return fail({ reason: "unknown-role", project, role, known: roles });
  if (state.approvals(project, release).some((a) => a.role === role && a.by === by)) return ok([]);
  return ok([{ type: "approval", project, release, role, by, note }]);
}
