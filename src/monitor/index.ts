/**
 * Public surface of `monitor/`: the live-window and monitor-policy contracts
 * (defined in `contracts/`, re-exported for the monitor's callers), PSI and SLO maths, and the pure controller that turns windows into
 * decisions. Nothing here reads files or writes the registry; the CLI and the
 * registry call these functions and record what they return.
 */
export { decideCanary, type CanaryDecision, type CanaryInput } from "./canary-controller.js";
export {
  decisionKey,
  type AbortDecision,
  type AbortReason,
  type DecisionKind,
  type Evidence,
  type MonitorDecision,
  type PauseDecision,
  type PromoteDecision,
  type RetrainDecision,
  type RollbackDecision,
  type RollbackReason,
  type WarnDecision,
} from "./decision.js";
export { checkDrift, type DriftInput, type DriftResult, type DriftSkip } from "./drift-check.js";
export {
  evaluateMonitor,
  type IgnoredWindow,
  type MonitorInput,
  type MonitorOutcome,
  type MonitorState,
} from "./evaluate-monitor.js";
export { eventFailures, healthFailures, type CheckFailure } from "./immediate-checks.js";
export {
  CanaryCriteria,
  DataHealth,
  DelayedQuality,
  Direction,
  Distribution,
  DriftPolicy,
  ImmediateChecks,
  LiveWindow,
  MonitorPolicy,
  Outcomes,
  PauseDeadline,
  ProductionSlo,
  RollbackEvent,
  ServiceHealth,
  type MonitorPolicyInput,
  type ServedAlias,
} from "../../contracts/index.js";
export { compareWindows, windowKey } from "./live-window.js";
export { parseWindows, type WindowProblem, type WindowProblemReason } from "./parse-windows.js";
export { checkProduction, type ProductionInput } from "./production-checks.js";
export { PSI_EPSILON, psi, shares, type PsiFigure, type PsiProblem } from "./psi.js";
export { breaches, evaluateSlo, rollingMeans, type SloEvaluation, type SloRule } from "./slo-rule.js";
