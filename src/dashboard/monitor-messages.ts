/**
 * Monitor decisions in words: the one line recorded as the decision's
 * reason and printed by `sluice monitor`.
 */
import type { MonitorDecision } from "../monitor/index.js";

/** One line saying what was decided and why, with the figures that decided it. */
export function describeMonitorDecision(decision: MonitorDecision): string {
  const { figures, rule } = decision.evidence;
  const at = `(${rule}, window ${windowId(decision.trigger)})`;
  switch (decision.kind) {
    case "pause": {
      const { labels, windows } = decision.needs;
      const needs = [labels > 0 ? `${labels} more labelled ${plural(labels, "outcome")}` : "", windows > 0 ? `${windows} more labelled ${plural(windows, "window")}` : ""].filter(Boolean);
      const waiting = needs.length > 0 ? `needs ${needs.join(" and ")}` : "enough labels, waiting for a production figure to compare with";
      const left = "windowsLeft" in decision.deadline ? `${decision.deadline.windowsLeft} ${plural(decision.deadline.windowsLeft, "window")}` : `${round(decision.deadline.hoursLeft)} hours`;
      return `pause canary ${decision.release}: ${waiting}; ${left} left before it is aborted for insufficient evidence ${at}`;
    }
    case "promote":
      return `promote ${decision.release} to production: delayed quality passed ${figureList(figures)} ${at}`;
    case "abort":
      return `abort canary ${decision.release}: ${decision.reason.replaceAll("_", " ")} ${figureList(figures)} ${at}`;
    case "rollback": {
      const to = decision.restore !== undefined ? `back to ${decision.restore}` : "with no earlier release to restore";
      return `roll production ${to} from ${decision.release}: ${decision.reason.replaceAll("_", " ")} ${figureList(figures)} ${at}`;
    }
    case "warn":
      return `drift warning on ${decision.release}: ${figureList(figures)} ${at}`;
    case "retrain":
      return `retrain: drift on ${decision.release} reached the act threshold ${figureList(figures)} ${at}`;
  }
}

/** `eta/canary/w03` -> `w03`. */
function windowId(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

function figureList(figures: Readonly<Record<string, number | null>>): string {
  const parts = Object.entries(figures).map(([name, value]) => `${name}=${value === null ? "missing" : round(value)}`);
  return parts.length > 0 ? `[${parts.join(", ")}]` : "";
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}
