/**
 * Approvals: who signed off a release for an alias. The policy names the
 * roles each alias needs; an approval counts only when its SSH signature
 * verifies against the role's allowed signers (see approval-signature.ts).
 * With separation of duties, each role needs a different key, and a key
 * whose allowed_signers name is the release's creator does not count.
 */
import type { ProjectPolicy } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { ApprovalCheck } from "./approval-signature.js";
import type { EventDraft } from "./event-draft.js";
import { checkNames } from "./name-check.js";
import { policyRoles } from "./policy.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";

/** What is still missing before `release` may move `alias`. */
export interface ApprovalGap {
  /** Roles with no qualifying approval, sorted. */
  readonly missing: string[];
  /** Recorded approvals of the rule's roles that do not count, each with why. */
  readonly discounted: { role: string; by: string; why: string }[];
  /** The counted approval of each satisfied role. */
  readonly counted: { role: string; by: string; fingerprint: string; seq: number }[];
}

/**
 * Compares the checked approvals of `release` with what the policy requires
 * for `alias`. Under separation of duties the roles are matched to distinct
 * keys (the most roles that distinct keys can cover), so one person holding
 * two roles' keys still satisfies only one of them.
 */
export function approvalGap(state: RegistryState, policy: ProjectPolicy, project: string, release: string, alias: string, checks: readonly ApprovalCheck[]): ApprovalGap {
  const rule = policy.approvals[alias];
  if (!rule) return { missing: [], discounted: [], counted: [] };
  const creator = state.release(project, release)?.manifest.lineage.createdBy;
  const roles = [...rule.roles].sort();
  const mine = checks.filter((c) => c.approval.project === project && c.approval.release === release && roles.includes(c.approval.role));
  const discounted: { role: string; by: string; why: string }[] = [];
  const usable: Extract<ApprovalCheck, { counted: true }>[] = [];
  for (const check of mine) {
    const { role, by } = check.approval;
    if (!check.counted) discounted.push({ role, by, why: check.why });
    else if (rule.separationOfDuties && creator !== undefined && check.principals.includes(creator)) {
      discounted.push({ role, by, why: `key ${check.fingerprint} belongs to ${creator}, who created the release (separation of duties)` });
    } else usable.push(check);
  }
  const assigned = assignRoles(roles, usable, rule.separationOfDuties);
  const counted = roles.flatMap((role) => {
    const check = assigned.get(role);
    return check ? [{ role, by: check.approval.by, fingerprint: check.fingerprint, seq: check.approval.seq }] : [];
  });
  const missing = roles.filter((role) => !assigned.has(role));
  for (const role of missing) {
    for (const check of usable.filter((c) => c.approval.role === role)) {
      const other = [...assigned].find(([, c]) => c.fingerprint === check.fingerprint)?.[0];
      discounted.push({ role, by: check.approval.by, why: `key ${check.fingerprint} already counts for ${other ?? "another role"} (separation of duties: one key, one role)` });
    }
  }
  return { missing, discounted, counted };
}

/**
 * Role -> the approval that satisfies it. Without separation of duties any
 * valid approval of the role will do; with it, no key serves two roles,
 * and the assignment covering the most roles is found by augmenting paths
 * (roles are few: a handful per alias).
 */
function assignRoles<C extends { approval: { role: string; seq: number }; fingerprint: string }>(
  roles: readonly string[],
  usable: readonly C[],
  distinctKeys: boolean,
): Map<string, C> {
  const byRole = new Map(roles.map((role) => [role, usable.filter((c) => c.approval.role === role).sort((a, b) => a.approval.seq - b.approval.seq)]));
  if (!distinctKeys) {
    return new Map(roles.flatMap((role) => (byRole.get(role)?.[0] ? [[role, byRole.get(role)?.[0] as C]] : [])));
  }
  const holder = new Map<string, string>(); // fingerprint -> role
  const chosen = new Map<string, C>();
  const tryRole = (role: string, seen: Set<string>): boolean => {
    for (const check of byRole.get(role) ?? []) {
      if (seen.has(check.fingerprint)) continue;
      seen.add(check.fingerprint);
      const other = holder.get(check.fingerprint);
      if (other === undefined || tryRole(other, seen)) {
        holder.set(check.fingerprint, role);
        chosen.set(role, check);
        return true;
      }
    }
    return false;
  };
  for (const role of roles) tryRole(role, new Set());
  // A role displaced along an augmenting path keeps its new choice; drop stale ones.
  for (const [role, check] of chosen) if (holder.get(check.fingerprint) !== role) chosen.delete(role);
  return chosen;
}

/** A requested approval, already signed by the approver. */
export interface ApprovalRequest {
  readonly project: string;
  readonly release: string;
  readonly role: string;
  readonly by: string;
  readonly note: string;
}

/** Checks an approval request before anything is signed: names, release and role. */
export function checkApprovalRequest(state: RegistryState, policy: ProjectPolicy, request: ApprovalRequest): Result<void, RegistryRefusal> {
  const { project, release, role } = request;
  const names = checkNames({ project, release });
  if (!names.ok) return names;
  if (!state.release(project, release)) {
    return fail({ reason: "unknown-release", project, release, known: state.releases(project).map((r) => r.release) });
  }
  const roles = policyRoles(policy);
  if (!roles.includes(role)) return fail({ reason: "unknown-role", project, role, known: roles });
  return ok(undefined);
}

/**
 * Plans a signed approval whose check is `check`: refused unless its
 * signature verifies; a repeat by the same key for the same role appends nothing.
 */
export function planApproval(
  state: RegistryState,
  policy: ProjectPolicy,
  request: ApprovalRequest,
  check: ApprovalCheck,
  recorded: readonly ApprovalCheck[],
): Result<readonly EventDraft[], RegistryRefusal> {
  const valid = checkApprovalRequest(state, policy, request);
  if (!valid.ok) return valid;
  const { project, release, role, by, note } = request;
  if (!check.counted) return fail({ reason: "approval-not-verified", project, release, role, by, why: check.why });
  if (recorded.some((r) => r.counted && r.approval.role === role && r.fingerprint === check.fingerprint)) return ok([]);
  return ok([{ type: "approval", project, release, role, by, note, ...(check.approval.signature ? { signature: check.approval.signature } : {}) }]);
}
