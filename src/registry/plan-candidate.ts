/**
 * The gated promotion the promote stage performs, as one transaction:
 * register the candidate, apply the gate rule, then either open the canary
 * (`canary_open`) or record `hold` with the failed gates and move nothing.
 * Production is never touched here.
 *
 * Resubmitting a candidate that was already decided replays the recorded
 * decision and appends nothing, so rerunning a pipeline never reopens a
 * canary that monitoring has since aborted. A candidate serving exactly
 * what production or the canary serves is that release (re-evaluated
 * against a new champion, it is still the same thing), and one serving what
 * was rolled back or aborted is held as `known_bad`, never reopened.
 */
import type { ProjectPolicy } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { EventDraft, TransactionStamp } from "./event-draft.js";
import { checkGates, decisionLabel } from "./gate-check.js";
import { planMove } from "./plan-move.js";
import { planRegistration } from "./plan-registration.js";
import type { RegistryRefusal } from "./refusal.js";
import { deployableDigest, type CandidateLineage, type CandidateTuple } from "./release-tuple.js";
import type { RegistryState, ReleaseRecord } from "./registry-state.js";

/** A candidate handed to the registry by a promote stage. */
export interface CandidateSubmission {
  readonly candidate: CandidateTuple;
  readonly lineage: CandidateLineage;
  readonly policy: ProjectPolicy;
  /**
   * The manifest digest of the production release the evaluation compared
   * against (null: there was none). When given and production has moved
   * since, the submission is refused: its champion gate is stale.
   */
  readonly champion?: string | null;
}

/** What the promote stage reports. */
export interface PromotionOutcome {
  readonly project: string;
  readonly release: string;
  /** The registered manifest's digest (it covers who registered it, when, from which commit). */
  readonly manifestDigest: string;
  /**
   * The release's tuple digest: what was released, whoever registered it
   * and whenever. What the promote stage writes as its output, which must
   * be a function of the stage's inputs alone.
   */
  readonly tupleDigest: string;
  readonly decision: "canary_open" | "hold";
  /** Sorted failed or missing gates (empty when the canary opened). */
  readonly failed: readonly string[];
  /** `canary_open` or `hold:<gates>`, as the seed prints it. */
  readonly label: string;
  /** True when this submission registered a new release. */
  readonly registered: boolean;
  /** True when the decision was already recorded and is only reported again. */
  readonly replayed: boolean;
  /** The canary move made, if any. */
  readonly canary: { readonly from: string | null; readonly to: string } | null;
}

/** Plans a submission: the outcome and the events to append. */
export function planCandidate(
  state: RegistryState,
  submission: CandidateSubmission,
  stamp: TransactionStamp,
): Result<{ outcome: PromotionOutcome; drafts: readonly EventDraft[] }, RegistryRefusal> {
  const { candidate, policy } = submission;
  const project = candidate.project;
  const production = state.aliasTarget(project, "production");
  const productionDigest = production === null ? null : (state.release(project, production)?.manifestDigest ?? null);
  if (submission.champion !== undefined && submission.champion !== productionDigest) {
    const expected = state.releases(project).find((r) => r.manifestDigest === submission.champion)?.release ?? null;
    return fail({ reason: "stale-alias", project, alias: "production", expected, actual: production });
  }

  const prior = priorRelease(state, candidate);
  if (prior) {
    // Same served artifacts as a live release (re-evaluated against a new
    // champion) or as one rolled back or aborted: not a new release.
    const decided = state.decisions(project, prior.record.release).filter((d) => d.decision === "canary_open" || d.decision === "hold").at(-1);
    const failed = prior.knownBad ? ["known_bad"] : (decided?.failed ?? []);
    const decision = prior.knownBad || decided?.decision === "hold" ? "hold" : "canary_open";
    return ok({
      outcome: {
        project,
        release: prior.record.release,
        manifestDigest: prior.record.manifestDigest,
        tupleDigest: prior.record.tupleDigest,
        decision,
        failed,
        label: decision === "hold" ? `hold:${failed.join(",")}` : "canary_open",
        registered: false,
        replayed: true,
        canary: null,
      },
      drafts: [],
    });
  }

  const registration = planRegistration(state, candidate, submission.lineage, stamp);
  const base = {
    project,
    release: registration.release,
    manifestDigest: registration.manifestDigest,
    tupleDigest: registration.tupleDigest,
    registered: registration.created,
  };
  const previous = state
    .decisions(project, registration.release)
    .filter((d) => d.decision === "canary_open" || d.decision === "hold")
    .at(-1);
  if (previous && !registration.created) {
    const decision = previous.decision === "canary_open" ? "canary_open" : "hold";
    const label = decision === "hold" ? `hold:${previous.failed.join(",")}` : "canary_open";
    return ok({ outcome: { ...base, decision, failed: previous.failed, label, replayed: true, canary: null }, drafts: [] });
  }

  const verdict = checkGates(policy.requiredGates, candidate.gates);
  const evidence = {
    manifestDigest: registration.manifestDigest,
    missing: [...verdict.missing],
    gates: candidate.gates.map((g) => ({ name: g.name, passed: g.passed, critical: g.critical, value: g.value, threshold: g.threshold })),
  };
  const decisionDraft = (decision: "canary_open" | "hold", reason: string): EventDraft => ({
    type: "decision",
    project,
    decision,
    release: registration.release,
    failed: [...verdict.failed],
    reason,
    evidence,
    key: null,
  });
  if (!verdict.passed) {
    const label = decisionLabel(verdict);
    return ok({
      outcome: { ...base, decision: "hold", failed: verdict.failed, label, replayed: false, canary: null },
      drafts: [...registration.drafts, decisionDraft("hold", `gates failed or missing: ${verdict.failed.join(", ")}`)],
    });
  }
  // Planned against the state that will hold the new release.
  const move = planMove(withRelease(state, registration), {
    project,
    alias: "canary",
    to: registration.release,
    expected: undefined,
    cause: "canary_open",
    reason: "every required gate passed",
  });
  if (!move.ok) return move;
  return ok({
    outcome: {
      ...base,
      decision: "canary_open",
      failed: [],
      label: "canary_open",
      replayed: false,
      canary: move.value.drafts.length > 0 ? { from: move.value.from, to: registration.release } : null,
    },
    drafts: [...registration.drafts, decisionDraft("canary_open", "every required gate passed"), ...move.value.drafts],
  });
}

/**
 * A release serving exactly the candidate's artifacts that is live
 * (production or canary holds it) or known-bad (production was rolled back
 * from it, or its canary aborted): either way not a new release.
 */
function priorRelease(state: RegistryState, candidate: CandidateTuple): { record: ReleaseRecord; knownBad: boolean } | undefined {
  const wanted = deployableDigest(candidate);
  const project = candidate.project;
  const same = (release: string | null) => {
    const record = release === null ? undefined : state.release(project, release);
    return record && deployableDigest(record.manifest) === wanted ? record : undefined;
  };
  const knownBad = [
    ...state.rollbacks(project).map((r) => r.from),
    ...state.moves(project, "canary").filter((m) => m.cause === "abort").map((m) => m.from),
  ];
  for (const release of knownBad) {
    const record = same(release);
    if (record) return { record, knownBad: true };
  }
  for (const alias of ["production", "canary"]) {
    const record = same(state.aliasTarget(project, alias));
    if (record) return { record, knownBad: false };
  }
  return undefined;
}

/** `state` as if the registration were already appended (moves check the release exists). */
function withRelease(state: RegistryState, registration: ReturnType<typeof planRegistration>): RegistryState {
  if (!registration.created) return state;
  return state.withPending(registration.drafts);
}
