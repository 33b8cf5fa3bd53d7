/**
 * One pass of the monitor over a project's windows: the canary decision, the
 * production checks and drift, keeping only decisions not made before.
 *
 * Idempotence: the canary and SLO rules need history, so they read every
 * window of the served releases, and a decision is new only if the window
 * that triggered it is not in `seenWindows`. Replaying a file whose windows
 * were all seen therefore yields no decisions; appending one window yields at
 * most the decisions that window triggers. The caller stores `seen` (for
 * example in the evidence it appends to the registry) for the next pass.
 */
import { decideCanary } from "./canary-controller.js";
import type { MonitorDecision } from "./decision.js";
import { checkDrift, type DriftSkip } from "./drift-check.js";
import type { Distribution, LiveWindow, MonitorPolicy } from "../../contracts/index.js";
import { windowKey } from "./live-window.js";
import { checkProduction } from "./production-checks.js";

/** Where the aliases point now, and which windows were judged before. */
export interface MonitorState {
  /** The release the production alias points at (none before the first promotion). */
  readonly production?: string;
  /** The release the canary alias points at, if a canary is open. */
  readonly canary?: string;
  /** When the canary opened (ISO), for an hours-based pause deadline. */
  readonly canaryOpenedAt?: string;
  /** The release a rollback would restore, if known. */
  readonly lastKnownGood?: string;
  /** Window keys (see `windowKey`) already judged by earlier passes. */
  readonly seenWindows: ReadonlySet<string>;
}

/** Everything one pass reads; nothing is read from disk. */
export interface MonitorInput {
  /** Production's criteria: its SLO, rollback events and drift thresholds. */
  readonly policy: MonitorPolicy;
  /**
   * The canary's own criteria (those recorded in its release), when they
   * differ from production's: a release is judged by the policy it shipped with.
   */
  readonly canaryPolicy?: MonitorPolicy;
  /** Windows of the project, both aliases, any order. */
  readonly windows: readonly LiveWindow[];
  readonly state: MonitorState;
  /** Production's recorded metrics, the fallback quality baseline for the canary. */
  readonly productionMetrics: Readonly<Record<string, number>>;
  /** Production's reference distributions by feature, for drift. */
  readonly references?: Readonly<Record<string, Distribution>>;
}

/** A window the pass did not read, and why. */
export interface IgnoredWindow {
  readonly window: string;
  readonly reason: "other-project" | "release-not-served";
}

/** The result of one pass. */
export interface MonitorOutcome {
  /** New decisions: canary first, then production, then drift. */
  readonly decisions: readonly MonitorDecision[];
  /** Keys of windows read for the first time; add them to `seenWindows`. */
  readonly seen: readonly string[];
  readonly ignored: readonly IgnoredWindow[];
  /** Features drift could not be computed for. */
  readonly skipped: readonly DriftSkip[];
}

/** Runs the canary controller, production checks and drift check once. */
export function evaluateMonitor(input: MonitorInput): MonitorOutcome {
  const { policy, state } = input;
  const ignored: IgnoredWindow[] = [];
  const canary: LiveWindow[] = [];
  const production: LiveWindow[] = [];
  for (const window of input.windows) {
    const served = window.alias === "canary" ? state.canary : state.production;
    if (window.project !== policy.project) ignored.push({ window: windowKey(window), reason: "other-project" });
    else if (window.release !== served) ignored.push({ window: windowKey(window), reason: "release-not-served" });
    else (window.alias === "canary" ? canary : production).push(window);
  }
  const isNew = (key: string): boolean => !state.seenWindows.has(key);
  const fresh = (windows: readonly LiveWindow[]) => windows.filter((w) => isNew(windowKey(w)));

  const decisions: MonitorDecision[] = [];
  if (state.canary !== undefined) {
    const decision = decideCanary({
      policy: input.canaryPolicy ?? policy,
      release: state.canary,
      ...(state.canaryOpenedAt !== undefined ? { openedAt: state.canaryOpenedAt } : {}),
      windows: canary,
      productionWindows: production,
      productionMetrics: input.productionMetrics,
    });
    if (decision && isNew(decision.trigger)) decisions.push(decision);
  }

  const rollback =
    state.production === undefined
      ? undefined
      : checkProduction({
          policy,
          release: state.production,
          ...(state.lastKnownGood !== undefined ? { restore: state.lastKnownGood } : {}),
          windows: production,
        });
  if (rollback && isNew(rollback.trigger)) decisions.push(rollback);

  let skipped: readonly DriftSkip[] = [];
  if (policy.drift && input.references && state.production !== undefined) {
    const drift = checkDrift({
      project: policy.project,
      policy: policy.drift,
      release: state.production,
      references: input.references,
      windows: fresh(production),
    });
    if (drift.decision) decisions.push(drift.decision);
    skipped = drift.skipped;
  }

  const seen = [...fresh(canary), ...fresh(production)].map(windowKey);
  return { decisions, seen, ignored, skipped };
}
