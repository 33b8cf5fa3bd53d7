/**
 * Population Stability Index between a reference distribution (recorded when
 * the release was evaluated) and a live window's, over the same buckets.
 *
 *   PSI = Σ_i (a_i − e_i) · ln(a_i / e_i)
 *
 * where e_i is the reference share of bucket i and a_i the live share. Every
 * term is ≥ 0 (a_i − e_i and ln(a_i / e_i) share a sign), so PSI ≥ 0 and is
 * 0 only for identical shares. An empty bucket would make ln(0) infinite, so
 * each share is first floored at ε (default 1e-4): a bucket that empties
 * still adds a large, finite term instead of poisoning the sum. The floored
 * shares are not renormalised: the terms stay non-negative without it, and it
 * would move PSI by only a few ε.
 */
import { fail, ok, type Result } from "../util/result.js";
import type { Distribution } from "../../contracts/index.js";

/** Default floor for empty buckets. */
export const PSI_EPSILON = 1e-4;

/** Why PSI could not be computed. */
export type PsiProblem =
  | { readonly reason: "edges-mismatch"; readonly message: string }
  | { readonly reason: "empty-distribution"; readonly message: string };

/** PSI and its per-bucket terms, so evidence can show which buckets moved. */
export interface PsiFigure {
  readonly psi: number;
  /** (a_i − e_i) · ln(a_i / e_i) per bucket, after flooring. */
  readonly terms: readonly number[];
}

/**
 * Computes PSI of `live` against `reference`. Both must share bucket edges
 * exactly: comparing shares of different buckets would measure the binning,
 * not the data.
 */
export function psi(reference: Distribution, live: Distribution, epsilon = PSI_EPSILON): Result<PsiFigure, PsiProblem> {
  if (!sameEdges(reference.edges, live.edges)) {
    return fail({
      reason: "edges-mismatch",
      message: `bucket edges differ: reference [${reference.edges.join(", ")}], live [${live.edges.join(", ")}]`,
    });
  }
  const expected = shares(reference);
  const actual = shares(live);
  if (!expected) return fail({ reason: "empty-distribution", message: "the reference distribution has no observations" });
  if (!actual) return fail({ reason: "empty-distribution", message: "the live distribution has no observations" });

  const terms = expected.map((e0, i) => {
    const e = Math.max(e0, epsilon);
    const a = Math.max(actual[i]!, epsilon);
    return (a - e) * Math.log(a / e);
  });
  return ok({ psi: terms.reduce((sum, t) => sum + t, 0), terms });
}

/** Bucket shares from counts or proportions; undefined when there are no observations. */
export function shares(distribution: Distribution): number[] | undefined {
  if (distribution.proportions) return [...distribution.proportions];
  const counts = distribution.counts ?? [];
  const total = counts.reduce((sum, c) => sum + c, 0);
  return total === 0 ? undefined : counts.map((c) => c / total);
}

function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((edge, i) => edge === b[i]);
}
