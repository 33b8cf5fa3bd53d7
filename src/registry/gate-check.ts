/**
 * The promotion rule: a candidate may open the canary only when every gate
 * the policy requires exists and passed. A missing gate counts as failed
 * (training finished is not release approved), and so does any critical
 * gate that failed even if the policy did not list it.
 */
import type { GateResult } from "../../contracts/index.js";

/** A required gate as the policy lists it. */
export interface RequiredGateRule {
  readonly name: string;
  readonly critical: boolean;
}

/** The verdict over a candidate's gates. */
export interface GateVerdict {
  /** True when nothing failed and nothing is missing. */
  readonly passed: boolean;
  /** Sorted, de-duplicated names of failed or missing gates. */
  readonly failed: readonly string[];
  /** Sorted names of required gates with no artifact. */
  readonly missing: readonly string[];
}

/** Applies the rule. Gate names are compared exactly. */
export function checkGates(required: readonly RequiredGateRule[], gates: readonly GateResult[]): GateVerdict {
  const byName = new Map<string, GateResult[]>();
  for (const gate of gates) byName.set(gate.name, [...(byName.get(gate.name) ?? []), gate]);
  const failed = new Set<string>();
  const missing = new Set<string>();
  for (const rule of required) {
    const found = byName.get(rule.name);
    if (!found) {
      missing.add(rule.name);
      failed.add(rule.name);
    } else if (found.some((g) => !g.passed)) {
      failed.add(rule.name);
    }
  }
  for (const gate of gates) if (!gate.passed && gate.critical) failed.add(gate.name);
  return { passed: failed.size === 0, failed: [...failed].sort(), missing: [...missing].sort() };
}

/** The decision as the seed spells it: `canary_open` or `hold:<failed gates>`. */
export function decisionLabel(verdict: GateVerdict): string {
  return verdict.passed ? "canary_open" : `hold:${verdict.failed.join(",")}`;
}
