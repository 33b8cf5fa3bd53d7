/**
 * How `status` and `explain` name a planned stage: fresh, stale (would
 * run), missing (an output is absent), modified (an output's bytes differ
 * from its record) or blocked (cannot be planned: a missing input), and the
 * words after that state.
 */
import type { StageResult } from "../exec/index.js";
import { table } from "./terminal.js";

export type Freshness = "fresh" | "stale" | "missing" | "modified" | "blocked";

/** The state of a planned stage. */
export function freshness(result: StageResult): Freshness {
  switch (result.status) {
    case "cached":
    case "held":
    case "ran":
      return "fresh";
    case "restored":
      // A file whose bytes differ is not missing: it is a local edit, or another run's output.
      return result.differing?.some((d) => d.state === "modified") ? "modified" : "missing";
    case "would-run":
      return "stale";
    case "failed":
    case "interrupted":
    case "skipped":
      return "blocked";
  }
}

/** The words after the state: why a stage is stale, which outputs are missing or modified. */
export function statusDetail(result: StageResult): string {
  if (result.failure) return result.failure.message;
  if (result.differing && result.differing.length > 0) {
    const headline = freshness(result);
    return result.differing.map((d) => (d.state === headline ? d.path : `${d.path} ${d.state}`)).join(", ");
  }
  return result.why.join("; ");
}

/** `status` as a table: one stage a line, its state and why. */
export function renderStatusTable(results: readonly StageResult[]): string {
  if (results.length === 0) return "the workspace declares no stages yet: pipeline.ts lists no project that has one";
  return table(results.map((r) => {
    const state = freshness(r);
    const words = statusDetail(r);
    return [r.id, state === "fresh" || words === "" ? state : `${state} (${words})`];
  }));
}

/** What `status --locked` adds below the table: each drift, the missing outputs, the verdict. */
export function renderLockSummary(drift: readonly string[], missing: readonly string[]): string {
  const lines = drift.map((line) => `lock drift: ${line}`);
  const many = missing.length > 1;
  if (missing.length > 0) lines.push(`${missing.length} locked output${many ? "s" : ""} missing from the workspace (sluice run restores or rebuilds ${many ? "them" : "it"}): ${missing.join(", ")}`);
  lines.push(drift.length === 0 ? "sluice.lock matches the declared pipeline" : `sluice.lock does not match: ${drift.length} difference${drift.length > 1 ? "s" : ""}`);
  return lines.join("\n");
}
