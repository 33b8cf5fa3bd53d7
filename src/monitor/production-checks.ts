/**
 * Production checks: the SLO on the live primary metric and the project's
 * rollback events. Either one rolls production back to the last known-good
 * release; drift never does (see drift-check.ts).
 */
import type { Evidence, RollbackDecision, RollbackReason } from "./decision.js";
import { eventFailures } from "./immediate-checks.js";
import type { LiveWindow, MonitorPolicy, ProductionSlo } from "../../contracts/index.js";
import { compareWindows, windowKey } from "./live-window.js";
import { evaluateSlo } from "./slo-rule.js";

/** What the production checks read. Windows of other releases must already be filtered out. */
export interface ProductionInput {
  readonly policy: MonitorPolicy;
  /** The release the production alias points at. */
  readonly release: string;
  /** The last known-good release, when the caller knows it; carried into the decision. */
  readonly restore?: string;
  /** Production's windows for `release`, any order. */
  readonly windows: readonly LiveWindow[];
}

/**
 * Returns the rollback the windows call for, or undefined. Of an SLO breach
 * and an event spike, the earlier window wins; at the same window the event
 * wins, being the more specific signal.
 */
export function checkProduction(input: ProductionInput): RollbackDecision | undefined {
  const windows = [...input.windows].sort(compareWindows);
  const slo = sloBreach(windows, input.policy.slo);
  const event = firstEvent(windows, input.policy);
  const chosen = !slo ? event : !event ? slo : windows.indexOf(event.window) <= windows.indexOf(slo.window) ? event : slo;
  if (!chosen) return undefined;
  return {
    kind: "rollback",
    reason: chosen.reason,
    project: input.policy.project,
    alias: "production",
    release: input.release,
    trigger: windowKey(chosen.window),
    evidence: chosen.evidence,
    ...(input.restore !== undefined ? { restore: input.restore } : {}),
  };
}

interface Breach {
  readonly reason: RollbackReason;
  readonly window: LiveWindow;
  readonly evidence: Evidence;
}

/**
 * The SLO series is the windows whose labels carry the metric, in time
 * order; windows still waiting for labels neither breach nor reset a run.
 */
function sloBreach(windows: readonly LiveWindow[], slo: ProductionSlo): Breach | undefined {
  const series = windows.filter((w) => w.outcomes.labelled > 0 && w.outcomes.metrics[slo.metric] !== undefined);
  const evaluation = evaluateSlo(
    series.map((w) => w.outcomes.metrics[slo.metric]!),
    slo,
  );
  const fire = evaluation.fireIndex;
  if (fire === undefined) return undefined;
  // The N breaching means, and the windows that fed them.
  const firstMean = fire - slo.consecutive + 1;
  const figures: Record<string, number> = { floor: slo.floor, window: slo.window, consecutive: slo.consecutive };
  for (let i = firstMean; i <= fire; i++) figures[`rollingMean.${series[i]!.window}`] = evaluation.rolling[i]!;
  return {
    reason: "slo_breach",
    window: series[fire]!,
    evidence: { rule: `slo.${slo.metric}`, windows: series.slice(firstMean - slo.window + 1, fire + 1).map(windowKey), figures },
  };
}

function firstEvent(windows: readonly LiveWindow[], policy: MonitorPolicy): Breach | undefined {
  for (const window of windows) {
    const [first, ...rest] = eventFailures(window, policy.rollbackEvents);
    if (!first) continue;
    const figures = Object.assign({}, first.figures, ...rest.map((f) => f.figures)) as Record<string, number>;
    const evidence: Evidence = {
      rule: first.rule,
      windows: [windowKey(window)],
      figures,
      ...(rest.length > 0 ? { alsoFailed: rest.map((f) => f.rule) } : {}),
    };
    return { reason: "rollback_event", window, evidence };
  }
  return undefined;
}
