/**
 * What is live now: the gate table of the release each alias holds, and the
 * lineage of each live release back to its data snapshot.
 */
import { traceLineage, type Lineage, type RegistryState } from "../../registry/index.js";
import type { GateResult } from "../../../contracts/index.js";
import type { GateRow, GateTable } from "./report-model.js";

/** Aliases whose releases the gate tables show, in this order. */
const LIVE_ALIASES = ["canary", "production"] as const;

/** The gate table of the current canary and production releases (an unset alias has none). */
export function gateTables(state: RegistryState, project: string): GateTable[] {
  return LIVE_ALIASES.flatMap((alias) => {
    const release = state.aliasTarget(project, alias);
    const record = release === null ? undefined : state.release(project, release);
    if (!record) return [];
    return [{ alias, release: record.release, rows: gateRows(record.manifest.gates) }];
  });
}

/** Gate results as table rows, sorted by name. */
export function gateRows(gates: readonly GateResult[]): GateRow[] {
  return [...gates]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((gate) => ({
      name: gate.name,
      value: gate.value,
      threshold: gate.threshold,
      critical: gate.critical,
      passed: gate.passed,
      why: typeof gate.evidence["why"] === "string" ? gate.evidence["why"] : undefined,
      evidence: gate.evidence,
    }));
}

/** Lineage of every live release, production first; a release live as both is traced once. */
export function liveLineage(state: RegistryState, project: string): Lineage[] {
  const traced: Lineage[] = [];
  for (const alias of ["production", "canary"]) {
    const release = state.aliasTarget(project, alias);
    if (release === null || traced.some((l) => l.release === release)) continue;
    const lineage = traceLineage(state, project, `@${alias}`);
    if (lineage.ok) traced.push(lineage.value);
  }
  return traced;
}
