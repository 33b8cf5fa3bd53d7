/**
 * The registry's operations. Each one reads a snapshot inside the
 * backend's transaction, plans with a pure planner, and appends what the
 * planner proposes, or nothing when the planner refuses. Which backend
 * holds the log is invisible here.
 */
import type { ProjectPolicy } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import { checkApprovals, roleSigners, signApproval, type ApprovalCheck } from "./approval-signature.js";
import { approvalGap, checkApprovalRequest, planApproval, type ApprovalGap, type ApprovalRequest } from "./approvals.js";
import type { RegistryBackend } from "./backend.js";
import type { EventDraft, TransactionStamp } from "./event-draft.js";
import { planCandidate, type CandidateSubmission, type PromotionOutcome } from "./plan-candidate.js";
import { planMove, type MoveRequest, type PlannedMove } from "./plan-move.js";
import { planPromotion, type PromotionRequest } from "./plan-promotion.js";
import { planRegistration, type PlannedRegistration } from "./plan-registration.js";
import { planRollback, type RollbackRequest } from "./plan-rollback.js";
import type { RegistryRefusal } from "./refusal.js";
import type { CandidateLineage, CandidateTuple } from "./release-tuple.js";
import { RegistryState } from "./registry-state.js";
import type { SigningKey } from "./signing-key.js";
import { signatureFingerprint, SigningError } from "./ssh-signature.js";

/** Options of a registry handle. */
export interface RegistryOptions {
  /** Recorded on every event this handle appends. */
  readonly actor: string;
  /** The workspace root: allowed_signers files named by the policy are read from here. */
  readonly root: string;
  /** Clock, for tests that need fixed times. */
  readonly now?: () => Date;
}

/** A handle on one workspace's registry. */
export class Registry {
  readonly backend: RegistryBackend;
  readonly actor: string;
  readonly #root: string;
  readonly #now: () => Date;

  constructor(backend: RegistryBackend, options: RegistryOptions) {
    this.backend = backend;
    this.actor = options.actor;
    this.#root = options.root;
    this.#now = options.now ?? (() => new Date());
  }

  /** The current state (no lock; a consistent snapshot of the log). */
  async state(): Promise<RegistryState> {
    return RegistryState.fold((await this.backend.read()).events);
  }

  /** Registers a candidate (idempotent by tuple) without deciding anything. */
  register(candidate: CandidateTuple, lineage: CandidateLineage): Promise<PlannedRegistration> {
    return this.#transact((state, stamp) => {
      const planned = planRegistration(state, candidate, lineage, stamp);
      return { append: planned.drafts, value: planned };
    });
  }

  /** The promote stage's transaction: register, check gates, open the canary or hold. */
  submitCandidate(submission: CandidateSubmission): Promise<Result<PromotionOutcome, RegistryRefusal>> {
    return this.#transact((state, stamp) => {
      const planned = planCandidate(state, submission, stamp);
      return planned.ok ? { append: planned.value.drafts, value: ok(planned.value.outcome) } : refused(planned.error);
    });
  }

  /** A compare-and-swap move of one alias. */
  move(request: MoveRequest): Promise<Result<PlannedMove, RegistryRefusal>> {
    return this.#transact((state) => applied(planMove(state, request)));
  }

  /**
   * Signs and records an approval. The payload is signed before the write
   * lock is taken (ssh-agent or a hardware key may take a while); inside
   * the transaction the signature is checked against the role's allowed
   * signers, so an unlisted key records nothing. A repeat by the same key
   * for the same role appends nothing.
   */
  async approve(
    policy: ProjectPolicy,
    request: ApprovalRequest,
    key: SigningKey,
  ): Promise<Result<{ readonly recorded: boolean; readonly check: ApprovalCheck }, RegistryRefusal>> {
    const before = await this.state();
    const valid = checkApprovalRequest(before, policy, request);
    if (!valid.ok) return valid;
    const signers = await roleSigners(this.#root, policy, request.project, request.role);
    if (!signers.ok) return signers;
    const manifestDigest = before.release(request.project, request.release)?.manifestDigest as string;
    let signature;
    try {
      signature = await signApproval({ ...request, manifestDigest, signedAt: this.#now().toISOString() }, key);
    } catch (error) {
      if (error instanceof SigningError) return fail({ reason: "signing-failed", message: error.message });
      throw error;
    }
    return this.#transact(async (state, stamp) => {
      const proposed = { ...request, type: "approval" as const, seq: 0, prev: null, at: stamp.at, actor: stamp.actor, signature };
      const [check] = await checkApprovals(this.#root, policy, state, [proposed]);
      // Only an earlier approval of this role by this very key can make this one a repeat: check just those.
      const fingerprint = signatureFingerprint(signature.sshsig);
      const sameKey = state
        .approvals(request.project, request.release)
        .filter((a) => a.role === request.role && a.signature && signatureFingerprint(a.signature.sshsig) === fingerprint);
      const recorded = await checkApprovals(this.#root, policy, state, sameKey);
      const planned = planApproval(state, policy, request, check as ApprovalCheck, recorded);
      return planned.ok
        ? { append: planned.value, value: ok({ recorded: planned.value.length > 0, check: check as ApprovalCheck }) }
        : refused(planned.error);
    });
  }

  /** Which of the policy's roles for `alias` still lack a counted (verified) approval of `release`. */
  async approvalGap(policy: ProjectPolicy, project: string, release: string, alias: string): Promise<ApprovalGap> {
    const state = await this.state();
    return approvalGap(state, policy, project, release, alias, await this.checkApprovals(policy, state, project, release));
  }

  /** Checks the signature of every recorded approval of `release` against the policy's signers. */
  checkApprovals(policy: ProjectPolicy | undefined, state: RegistryState, project: string, release: string): Promise<ApprovalCheck[]> {
    return checkApprovals(this.#root, policy, state, state.approvals(project, release));
  }

  /** An explicit promotion, gated by gates and by approvals whose signatures verify. */
  async promote(policy: ProjectPolicy, request: PromotionRequest): Promise<Result<PlannedMove, RegistryRefusal>> {
    // A rule whose roles name no signers could never be met: say how to name them, not which approvals are missing.
    for (const role of [...(policy.approvals[request.alias]?.roles ?? [])].sort()) {
      const signers = await roleSigners(this.#root, policy, request.project, role);
      if (!signers.ok) return signers;
    }
    return this.#transact(async (state) => {
      const checks = await this.checkApprovals(policy, state, request.project, request.release);
      return applied(planPromotion(state, policy, request, checks));
    });
  }

  /** Re-points an alias (production by default) at a previous known-good release. */
  rollback(request: RollbackRequest): Promise<Result<PlannedMove, RegistryRefusal>> {
    return this.#transact((state) => applied(planRollback(state, request)));
  }

  /**
   * Runs any planner as one transaction: what it proposes is appended
   * atomically, or nothing when it refuses. Monitoring composes its moves
   * (production to the canary's release, canary cleared, decision) this way.
   */
  apply<T>(
    planner: (state: RegistryState, stamp: TransactionStamp) => Result<{ readonly drafts: readonly EventDraft[]; readonly value: T }, RegistryRefusal>,
  ): Promise<Result<T, RegistryRefusal>> {
    return this.#transact((state, stamp) => {
      const planned = planner(state, stamp);
      return planned.ok ? { append: planned.value.drafts, value: ok(planned.value.value) } : refused<T>(planned.error);
    });
  }

  /**
   * Appends a decision (monitoring's pause/promote/abort/...). With a `key`
   * already recorded for the project, nothing is appended: replaying the
   * same evidence twice records it once.
   */
  decide(draft: Extract<EventDraft, { type: "decision" }>): Promise<{ readonly recorded: boolean }> {
    return this.#transact<{ readonly recorded: boolean }>((state) => {
      if (draft.key !== null && state.hasDecisionKey(draft.project, draft.key)) return { append: [], value: { recorded: false } };
      return { append: [draft], value: { recorded: true } };
    });
  }

  #transact<T>(
    body: (state: RegistryState, stamp: TransactionStamp) => { append: readonly EventDraft[]; value: T } | Promise<{ append: readonly EventDraft[]; value: T }>,
  ): Promise<T> {
    const stamp: TransactionStamp = { at: this.#now().toISOString(), actor: this.actor };
    return this.backend.transact(stamp, (snapshot) => body(RegistryState.fold(snapshot.events), stamp));
  }
}

function applied(planned: Result<PlannedMove, RegistryRefusal>): { append: readonly EventDraft[]; value: Result<PlannedMove, RegistryRefusal> } {
  return planned.ok ? { append: planned.value.drafts, value: planned } : refused(planned.error);
}

function refused<T>(refusal: RegistryRefusal): { append: readonly EventDraft[]; value: Result<T, RegistryRefusal> } {
  return { append: [], value: fail(refusal) };
}
