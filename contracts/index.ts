/** The release contracts: zod schemas shared by stages, the registry and monitoring. */
export { ActionPolicy, EvaluationReport, ReleaseManifest, Trigger } from "./release-manifest.js";
export { GateArtifact, GateResult, GateScalar } from "./gate-result.js";
export { DescribedActionPolicy, ReferenceDistribution, SlicedEvaluationReport, TrainingSummary } from "./candidate-artifacts.js";
export { AliasName, DigestString, JsonValue, Name, ReleaseName, Timestamp } from "./json-value.js";
export {
  ApprovalRule,
  Bound,
  ChampionChallengerRule,
  MonitorPolicyRef,
  ProjectPolicy,
  PromotionPolicy,
  RequiredGate,
  RetrainRule,
} from "./promotion-policy.js";
export {
  AliasMoved,
  Approval,
  ApprovalSignature,
  Decision,
  DecisionKind,
  MoveCause,
  RegistryEvent,
  ReleaseRegistered,
  Rollback,
  type RegistryEventType,
} from "./registry-event.js";
export { PromotionRecord } from "./promotion-record.js";
export { DataHealth, Distribution, LiveWindow, Outcomes, ServiceHealth, type ServedAlias } from "./live-window.js";
export {
  CanaryCriteria,
  DelayedQuality,
  Direction,
  DriftPolicy,
  ImmediateChecks,
  MonitorPolicy,
  PauseDeadline,
  ProductionSlo,
  RollbackEvent,
  type MonitorPolicyInput,
} from "./monitor-policy.js";
export { JSON_SCHEMA_FILES, renderJsonSchemas } from "./json-schemas.js";
