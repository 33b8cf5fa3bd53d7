/**
 * The canary controller: replays a canary's windows in time order, exactly as
 * if it had been watching live, and returns the one decision it reaches.
 *
 *                    next canary window (time order)
 *                                 |
 *                                 v
 *     immediate health or   +-----------+   labels short, deadline not reached
 *     event check fails     |           |<----------------------------------+
 *   +-----------------------|   PAUSE   |                                   |
 *   |                       |           |-----------------------------------+
 *   |                       +-----------+
 *   |           >= minLabelled |     | deadline (windows or hours) reached,
 *   |           across >= K    |     | labels still short
 *   |           labelled windows     +------------------------------+
 *   |                          v                                    |
 *   |                 quality vs production                         |
 *   |                  pass |        | fail                         |
 *   v                       v        v                              v
 *  ABORT                 PROMOTE    ABORT                          ABORT
 *  (immediate_health |              (quality)          (insufficient_evidence)
 *   rollback_event)
 *
 * PROMOTE and ABORT are terminal: windows after them are not read. A canary
 * that merely has not failed stays in PAUSE; it is never promoted by default.
 */
import type { AbortDecision, Evidence, PauseDecision, PromoteDecision } from "./decision.js";
import { eventFailures, healthFailures, type CheckFailure } from "./immediate-checks.js";
import type { DelayedQuality, LiveWindow, MonitorPolicy } from "../../contracts/index.js";
import { compareWindows, windowKey } from "./live-window.js";
import { productionBaseline, qualityVerdict } from "./quality-comparison.js";

/** The decisions a canary can reach. */
export type CanaryDecision = PauseDecision | PromoteDecision | AbortDecision;

/** What the controller reads. Windows of other releases must already be filtered out. */
export interface CanaryInput {
  readonly policy: MonitorPolicy;
  /** The release the canary alias points at. */
  readonly release: string;
  /** When the canary opened (ISO); the hours deadline counts from here, else from the first window. */
  readonly openedAt?: string;
  /** The canary's windows, any order. */
  readonly windows: readonly LiveWindow[];
  /** Production's windows over the same period: the like-for-like quality baseline. */
  readonly productionWindows: readonly LiveWindow[];
  /** Production's recorded metrics (its evaluation report): the baseline when live labels are short. */
  readonly productionMetrics: Readonly<Record<string, number>>;
}

/** Evidence accumulated so far: labelled windows carrying the metric. */
interface Tally {
  labelled: number;
  weighted: number;
  windows: LiveWindow[];
}

/** Returns the canary's decision, or undefined when it has no windows yet. */
export function decideCanary(input: CanaryInput): CanaryDecision | undefined {
  const { policy, release } = input;
  const { delayed, immediate, pauseDeadline } = policy.canary;
  const windows = [...input.windows].sort(compareWindows);
  const first = windows[0];
  if (!first) return undefined;
  const origin = Date.parse(input.openedAt ?? first.start);
  const tally: Tally = { labelled: 0, weighted: 0, windows: [] };
  const base = (window: LiveWindow, evidence: Evidence) =>
    ({ project: policy.project, alias: "canary", release, trigger: windowKey(window), evidence }) as const;

  for (const [index, window] of windows.entries()) {
    const failures = [...healthFailures(window, immediate), ...eventFailures(window, policy.rollbackEvents)];
    const failed = failures[0];
    if (failed) {
      const reason = failed.kind === "event" ? "rollback_event" : "immediate_health";
      return { kind: "abort", reason, ...base(window, failureEvidence(window, failures)) };
    }

    const value = window.outcomes.metrics[delayed.metric];
    if (window.outcomes.labelled > 0 && value !== undefined) {
      tally.labelled += window.outcomes.labelled;
      tally.weighted += value * window.outcomes.labelled;
      tally.windows.push(window);
    }

    const short = shortfall(tally, delayed);
    const baseline = short ? undefined : productionBaseline(delayed, tally.windows, input.productionWindows, input.productionMetrics);
    if (baseline) {
      const verdict = qualityVerdict(delayed, tally.weighted / tally.labelled, tally.labelled, tally.windows, baseline);
      return verdict.pass
        ? { kind: "promote", ...base(window, verdict.evidence) }
        : { kind: "abort", reason: "quality", ...base(window, verdict.evidence) };
    }

    const seen = windows.slice(0, index + 1);
    const elapsedHours = (Date.parse(window.end) - origin) / 3_600_000;
    const needs = short ?? { labels: 0, windows: 0 };
    const figures = {
      labelled: tally.labelled,
      minLabelled: delayed.minLabelled,
      labelledWindows: tally.windows.length,
      minWindows: delayed.minWindows,
      // Enough canary labels but no production figure to compare with: keep waiting.
      ...(short ? {} : { productionMetric: null }),
    };
    const deadline =
      "windows" in pauseDeadline
        ? { windowsLeft: pauseDeadline.windows - seen.length }
        : { hoursLeft: pauseDeadline.hours - elapsedHours };
    const reached = "windowsLeft" in deadline ? deadline.windowsLeft <= 0 : deadline.hoursLeft <= 0;
    if (reached) {
      const limit = "windows" in pauseDeadline ? { windows: seen.length, deadlineWindows: pauseDeadline.windows } : { hours: elapsedHours, deadlineHours: pauseDeadline.hours };
      const evidence = { rule: "canary.pauseDeadline", windows: seen.map(windowKey), figures: { ...figures, ...limit } };
      return { kind: "abort", reason: "insufficient_evidence", ...base(window, evidence) };
    }
    if (index === windows.length - 1) {
      const evidence = { rule: "canary.delayed.minEvidence", windows: seen.map(windowKey), figures };
      return { kind: "pause", needs, deadline, ...base(window, evidence) };
    }
  }
  return undefined; // unreachable: the last window always returns
}

/** Labels and labelled windows still missing, or undefined when there are enough. */
function shortfall(tally: Tally, delayed: DelayedQuality): { labels: number; windows: number } | undefined {
  const labels = Math.max(0, delayed.minLabelled - tally.labelled);
  const windows = Math.max(0, delayed.minWindows - tally.windows.length);
  return labels === 0 && windows === 0 ? undefined : { labels, windows };
}

function failureEvidence(window: LiveWindow, failures: readonly CheckFailure[]): Evidence {
  const [first, ...rest] = failures;
  const figures = Object.assign({}, ...failures.map((f) => f.figures)) as Record<string, number | null>;
  return {
    rule: first!.rule,
    windows: [windowKey(window)],
    figures,
    ...(rest.length > 0 ? { alsoFailed: rest.map((f) => f.rule) } : {}),
  };
}
