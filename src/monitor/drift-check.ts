/**
 * Drift: PSI of each live window's distributions against the reference ones
 * recorded when the release was evaluated. Drift says the world moved, not
 * that the model got worse, so it can warn or ask for a retrain but never
 * rolls anything back by itself.
 */
import type { RetrainDecision, WarnDecision } from "./decision.js";
import type { Distribution, DriftPolicy, LiveWindow } from "../../contracts/index.js";
import { compareWindows, windowKey } from "./live-window.js";
import { psi } from "./psi.js";

/** What the drift check reads. */
export interface DriftInput {
  readonly project: string;
  readonly policy: DriftPolicy;
  /** The release whose reference distributions apply. */
  readonly release: string;
  /** Reference distributions by feature, recorded at evaluation time. */
  readonly references: Readonly<Record<string, Distribution>>;
  /**
   * Windows not judged before. Drift is a per-window signal, so unlike the
   * canary and SLO rules it needs no history, only the new windows.
   */
  readonly windows: readonly LiveWindow[];
}

/** A feature PSI could not be computed for, and why. */
export interface DriftSkip {
  readonly window: string;
  readonly feature: string;
  readonly message: string;
}

/** The drift check's result: at most one decision, plus what it had to skip. */
export interface DriftResult {
  readonly decision: WarnDecision | RetrainDecision | undefined;
  readonly skipped: readonly DriftSkip[];
}

/**
 * Computes PSI per window and feature and returns one decision for the batch:
 * `retrain` if any window reaches `actPsi`, else `warn` if any reaches
 * `warnPsi`. One decision per batch, not per window, so a week of drifted
 * windows asks for one retrain, triggered by the first window at that level.
 */
export function checkDrift(input: DriftInput): DriftResult {
  const { policy } = input;
  const skipped: DriftSkip[] = [];
  const figures: Record<string, number> = {};
  const flagged: LiveWindow[] = [];
  let level: "warn" | "retrain" | undefined;
  let trigger: LiveWindow | undefined;

  for (const window of [...input.windows].sort(compareWindows)) {
    let worst = 0;
    for (const feature of policy.features) {
      const live = window.distributions?.[feature];
      const reference = input.references[feature];
      // A window without this feature's distribution simply carries no drift evidence for it.
      if (!live) continue;
      if (!reference) {
        skipped.push({ window: windowKey(window), feature, message: `no reference distribution recorded for ${feature}` });
        continue;
      }
      const result = psi(reference, live);
      if (!result.ok) {
        skipped.push({ window: windowKey(window), feature, message: result.error.message });
        continue;
      }
      worst = Math.max(worst, result.value.psi);
      if (result.value.psi >= policy.warnPsi) figures[`psi.${window.window}.${feature}`] = result.value.psi;
    }
    const windowLevel = worst >= policy.actPsi ? "retrain" : worst >= policy.warnPsi ? "warn" : undefined;
    if (!windowLevel) continue;
    flagged.push(window);
    if (level === undefined || (level === "warn" && windowLevel === "retrain")) {
      level = windowLevel;
      trigger = window;
    }
  }

  if (!level || !trigger) return { decision: undefined, skipped };
  const base = {
    project: input.project,
    alias: trigger.alias,
    release: input.release,
    trigger: windowKey(trigger),
    evidence: {
      rule: level === "retrain" ? "drift.actPsi" : "drift.warnPsi",
      windows: flagged.map(windowKey),
      figures: { warnPsi: policy.warnPsi, actPsi: policy.actPsi, ...figures },
    },
  };
  const decision: WarnDecision | RetrainDecision = level === "retrain" ? { kind: "retrain", cause: "drift", ...base } : { kind: "warn", ...base };
  return { decision, skipped };
}
