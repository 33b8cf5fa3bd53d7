/**
 * An explicit promotion (`sluice promote <project> <release> --to <alias>`).
 * It never lets a release with a failed or missing gate through, whatever
 * the approvals, and for aliases the policy guards (production) it needs
 * every required role's approval.
 */
import type { ProjectPolicy } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { ApprovalCheck } from "./approval-signature.js";
import { approvalGap } from "./approvals.js";
import { checkGates } from "./gate-check.js";
import { checkNames } from "./name-check.js";
import { planMove, type PlannedMove } from "./plan-move.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";

/** A requested promotion. */
export interface PromotionRequest {
  readonly project: string;
  readonly release: string;
  readonly alias: string;
  /** CAS: what the caller believes the alias holds (undefined: read now). */
  readonly expected: string | null | undefined;
  readonly reason: string;
}

/** Plans a promotion: the move plus a `promote` decision, or why not. */
export function planPromotion(
  state: RegistryState,
  policy: ProjectPolicy,
  request: PromotionRequest,
  /** The release's recorded approvals with their signatures checked. */
  checks: readonly ApprovalCheck[],
): Result<PlannedMove, RegistryRefusal> {
  const { project, release, alias } = request;
  const names = checkNames({ project, alias, release });
  if (!names.ok) return names;
  const record = state.release(project, release);
  if (!record) return fail({ reason: "unknown-release", project, release, known: state.releases(project).map((r) => r.release) });
  const verdict = checkGates(policy.requiredGates, record.manifest.gates);
  if (!verdict.passed) return fail({ reason: "gates-failed", project, release, failed: verdict.failed });
  const gap = approvalGap(state, policy, project, release, alias, checks);
  if (gap.missing.length > 0) {
    return fail({ reason: "missing-approvals", project, release, alias, missing: gap.missing, discounted: gap.discounted });
  }
  const move = planMove(state, { project, alias, to: release, expected: request.expected, cause: "promote", reason: request.reason });
  if (!move.ok || move.value.drafts.length === 0) return move;
  // The canary's job ends when its release goes to production: clear it.
  const graduated =
    alias === "production" && state.aliasTarget(project, "canary") === release
      ? planMove(state, { project, alias: "canary", to: null, expected: release, cause: "promote", reason: `${release} went to production` })
      : undefined;
  const clearCanary = graduated?.ok ? graduated.value.drafts : [];
  // The approvals this move rests on, with the keys that signed them.
  const approvers = gap.counted.map((a) => ({ role: a.role, by: a.by, seq: a.seq, key: a.fingerprint }));
  return ok({
    ...move.value,
    drafts: [
      {
        type: "decision",
        project,
        decision: "promote",
        release,
        failed: [],
        reason: request.reason,
        evidence: { alias, from: move.value.from, approvals: approvers },
        key: null,
      },
      ...move.value.drafts,
      ...clearCanary,
    ],
  });
}
