/**
 * Gate artifacts: the JSON a validation or evaluation stage writes for each
 * check, and the one shape the promote stage reads. A gate is data, never an
 * exception: a failing gate is a successful stage that says "no", with the
 * evidence a reviewer needs to agree. The shape is the release contract's;
 * these are the example projects' builders for it.
 */
import { GateResult } from "sluice/contracts";
import { round } from "./numbers.js";

/** A gate artifact, as the release contract `GateResult` (in `sluice/contracts`) defines it. */
export type Gate = GateResult;

/** JSON evidence values. */
export type Evidence = Gate["evidence"];

/** Which way a threshold points. */
export type Direction = "at_least" | "at_most";

/** Options shared by the gate builders. */
export interface GateOptions {
  readonly critical?: boolean;
  /** Extra evidence merged into the artifact. */
  readonly evidence?: Evidence;
  /** Decimals kept for value and threshold (default 6). */
  readonly digits?: number;
}

/**
 * A gate comparing `value` with `threshold`. A non-finite value fails: an
 * unmeasurable check must never pass by accident.
 */
export function thresholdGate(name: string, value: number, direction: Direction, threshold: number, options: GateOptions = {}): Gate {
  const digits = options.digits ?? 6;
  const finite = Number.isFinite(value);
  const passed = finite && (direction === "at_least" ? value >= threshold : value <= threshold);
  const op = direction === "at_least" ? ">=" : "<=";
  const shown = finite ? String(round(value, digits)) : "not measurable";
  return {
    name,
    passed,
    value: finite ? round(value, digits) : null,
    threshold: round(threshold, digits),
    critical: options.critical ?? true,
    evidence: {
      why: `${name}: ${shown} ${passed ? "meets" : "fails"} ${op} ${round(threshold, digits)}`,
      direction,
      ...options.evidence,
    },
  };
}

/** A pass/fail gate with no numeric threshold (value = count of problems). */
export function countGate(name: string, problems: number, why: string, options: GateOptions = {}): Gate {
  return {
    name,
    passed: problems === 0,
    value: problems,
    threshold: 0,
    critical: options.critical ?? true,
    evidence: { why, ...options.evidence },
  };
}

/**
 * Throws when any critical gate failed. Stages that consume a snapshot call
 * it first, so a rejected snapshot never reaches training, while the gate
 * artifacts (written by the validate stage, which succeeded) keep the evidence.
 */
export function requirePassed(gates: Readonly<Record<string, Gate>>): void {
  const failed = Object.values(gates)
    .filter((g) => g.critical && !g.passed)
    .map((g) => `${g.name} (${String(g.evidence["why"] ?? "failed")})`)
    .sort();
  if (failed.length > 0) {
    throw new Error(`snapshot rejected by validation, refusing to train: ${failed.join("; ")}`);
  }
}

/** The values of a stage's deps that are gate artifacts (json deps of validation stages). */
export function gatesAmong(deps: Readonly<Record<string, unknown>>): Record<string, Gate> {
  const out: Record<string, Gate> = {};
  for (const key of Object.keys(deps).sort()) {
    const parsed = GateResult.safeParse(deps[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out;
}
