/**
 * Public surface of `registry/`: the release discipline on top of the
 * engine. The engine never imports this folder; stages, the CLI and
 * monitoring do.
 */
export { currentActor, pipelineCommit } from "./actor.js";
export { assembleCandidate, type CandidateInputs, type ContractViolation } from "./assemble-candidate.js";
export { aliasDep, aliasManifestDigest, championDep, championMetrics, type Champion, loadManifest, promotionState, promotionStateDep, type PromotionState } from "./alias-dep.js";
export { aliasFilePath, renderAliasFile } from "./alias-files.js";
export { approvalGap, checkApprovalRequest, planApproval, type ApprovalGap, type ApprovalRequest } from "./approvals.js";
export { approvalPayload, checkApprovals, roleSigners, signApproval, type ApprovalCheck, type ApprovalClaim, type RoleSigners } from "./approval-signature.js";
export { resolveSigningKey, SIGNING_KEY_ENV, type SigningKey } from "./signing-key.js";
export { APPROVAL_NAMESPACE, signatureFingerprint, SigningError } from "./ssh-signature.js";
export {
  RegistryBusyError,
  RegistryCorruptError,
  RegistryUnanchoredError,
  type MaterialisedProblem,
  type RawChain,
  type RegistryBackend,
  type RegistrySnapshot,
  type TransactionOutcome,
} from "./backend.js";
export {
  evaluateCandidate,
  gateOuts,
  gatesOf,
  trainCandidate,
  validateSnapshot,
  type EvaluateCandidateOptions,
  type EvaluateDeps,
  type EvaluateFn,
  type EvaluateOuts,
  type EvaluateParams,
  type GateOuts,
  type GateValues,
  type TrainCandidateOptions,
  type TrainFn,
  type TrainOuts,
  type ValidateFn,
  type ValidateSnapshotOptions,
} from "./candidate-stages.js";
export { checkChain, encodeEvent, lineDigest, type ChainHead, type ChainProblem } from "./chain.js";
export { championGate, judgeChallenger, withinBound, type ChallengerVerdict, type ChampionGateOptions } from "./champion.js";
export type { EventDraft, TransactionStamp } from "./event-draft.js";
export { FileBackend, type AnchorOutcome, type AnchorRefusal } from "./file-backend.js";
export { trustedLogFromGit, trustedLogFromRegistry, type TrustedLog } from "./anchor-source.js";
export { checkGates, decisionLabel, type GateVerdict, type RequiredGateRule } from "./gate-check.js";
export { liveRef, resolveRef, traceLineage, type Lineage } from "./lineage.js";
export { openRegistry, registryBackend, UnsupportedRegistryError, type OpenRegistryOptions } from "./open-registry.js";
export { pinJson, pinPath } from "./pin-artifact.js";
export { pinnedDigests } from "./pins.js";
export { planCandidate, type CandidateSubmission, type PromotionOutcome } from "./plan-candidate.js";
export {
  planMonitorDecision,
  recordingEvent,
  type MonitorDecisionRequest,
  type RecordedMonitorDecision,
  type RecordingEvent,
} from "./plan-monitor-decision.js";
export { planMove, type MoveRequest, type PlannedMove } from "./plan-move.js";
export { planPromotion, type PromotionRequest } from "./plan-promotion.js";
export { planRegistration, type PlannedRegistration } from "./plan-registration.js";
export { knownGoodReleases, planRollback, type RollbackRequest } from "./plan-rollback.js";
export { loadProjectPolicy, loadPromotionPolicy, POLICY_FILE, policyRoles } from "./policy.js";
export { championRuleOf, championRuleSource, policyLocation, projectPolicyDep, readPolicySection, type PolicyLocation, type PolicySection } from "./policy-section.js";
export { promoteAlias, runPromoteAlias, type ArtifactRef, type PromoteAliasOptions, type PromoteParams } from "./promote-stage.js";
export { describeRefusal, isUsageRefusal, type RegistryRefusal } from "./refusal.js";
export { Registry, type RegistryOptions } from "./registry.js";
export { encodeRetrainTrigger, retrainTrigger, TRIGGER_ENV } from "./retrain-trigger.js";
export { recordedReferences, type RecordedReferences } from "./recorded-references.js";
export { storageFailureExitCode } from "./storage-failure.js";
export { RegistryState, type AliasPointer, type ReleaseRecord } from "./registry-state.js";
export { deployableDigest, manifestDigest, referencedDigests, tupleDigest, type CandidateLineage, type CandidateTuple } from "./release-tuple.js";
export { openWorkspaceRegistry } from "./workspace-registry.js";
export { verifyRegistry, type RegistryProblem, type RegistryVerification } from "./verify-registry.js";

export {
  importFileRegistry,
  readImportSource,
  type ImportFailure,
  type ImportReport,
  type ImportSource,
} from "./import-file-registry.js";
export { initDigests } from "./legacy-setup.js";
