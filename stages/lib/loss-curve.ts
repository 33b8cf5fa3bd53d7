/**
 * Loss curves as recorded in training summaries: a bounded number of points
 * so a 1000-epoch run does not bloat the json, and a check that training
 * actually learned.
 */
import { round } from "./numbers.js";

/** At most `n` evenly spaced points of a curve, always keeping the first and last. */
export function sampleCurve(curve: readonly number[], n: number, digits = 6): number[] {
  const picked = curve.length <= n ? [...curve] : Array.from({ length: n }, (_, i) => curve[Math.round((i * (curve.length - 1)) / (n - 1))] as number);
  return picked.map((v) => round(v, digits));
}

/** Throws when the last loss is not below the first: a model that did not learn must not ship silently. */
export function assertLearned(curve: readonly number[], what: string): void {
  const first = curve[0], last = curve[curve.length - 1];
  if (first === undefined || last === undefined || !(last < first)) {
    throw new Error(`${what}: training loss did not go down (${String(first)} -> ${String(last)})`);
  }
}
