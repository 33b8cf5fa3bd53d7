/**
 * A linear ranker trained with a pairwise logistic loss (RankNet with a
 * linear scorer), full-batch gradient descent on ml-matrix.
 *
 * For every query, each pair of candidates with different graded relevance
 * (i better than j) contributes `log(1 + exp(-(s_i - s_j)))`, weighted by
 * the gain difference `2^rel_i - 2^rel_j` so that misordering a perfect
 * match costs more than misordering two weak ones (the gain NDCG uses).
 * Queries with many candidates would dominate, so each keeps at most
 * `maxPairsPerQuery` pairs, drawn with a seeded RNG: the pair set, and so the
 * model bytes, are the same on every run. Full batch keeps the descent itself
 * free of sampling order.
 */
import { Matrix } from "ml-matrix";
import { sigmoid } from "./numbers.js";
import { Rng } from "./rng.js";

/** Training knobs. */
export interface PairwiseOptions {
  readonly learningRate: number;
  readonly epochs: number;
  /** L2 penalty on the weights. */
  readonly l2: number;
  readonly maxPairsPerQuery: number;
  /** Seeds the pair sampling. */
  readonly seed: number;
}

/** A fitted scorer and how training went. */
export interface PairwiseFit {
  readonly weights: number[];
  /** Penalised pairwise loss before the first step and after every epoch. */
  readonly lossCurve: number[];
  readonly pairs: number;
}

/** One preference: row `better` should outscore row `worse` by `weight`. */
export interface Preference {
  readonly better: number;
  readonly worse: number;
  readonly weight: number;
}

/** The weighted preference pairs of grouped rows (`groups[i]` = query of row i), sampled per query. */
export function preferencePairs(groups: readonly string[], relevance: readonly number[], maxPerGroup: number, seed: number): Preference[] {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const rows = byGroup.get(g);
    if (rows) rows.push(i);
    else byGroup.set(g, [i]);
  });
  const rng = new Rng(seed);
  const out: Preference[] = [];
  for (const g of [...byGroup.keys()].sort()) {
    const rows = byGroup.get(g) as number[];
    const pairs: Preference[] = [];
    for (const a of rows) {
      for (const b of rows) {
        const ra = relevance[a] ?? 0, rb = relevance[b] ?? 0;
        if (ra > rb) pairs.push({ better: a, worse: b, weight: 2 ** ra - 2 ** rb });
      }
    }
    out.push(...(pairs.length > maxPerGroup ? rng.shuffled(pairs).slice(0, maxPerGroup) : pairs));
  }
  return out;
}

/** Fits a linear scorer on standardised rows `x` from preference pairs. */
export function fitPairwise(x: readonly (readonly number[])[], pairs: readonly Preference[], options: Omit<PairwiseOptions, "maxPairsPerQuery" | "seed">): PairwiseFit {
  const d = x[0]?.length ?? 0;
  // One row per pair: x_better - x_worse, so the pair's margin is D w.
  const D = new Matrix(pairs.map((p) => (x[p.better] as number[]).map((v, j) => v - ((x[p.worse] as number[])[j] ?? 0))));
  // Row vectors throughout: ml-matrix stores a matrix as one typed array per
  // row, so a 1 x n product allocates once where an n x 1 one allocates n times.
  const Dt = D.transpose();
  const weight = pairs.map((p) => p.weight);
  const totalWeight = weight.reduce((a, b) => a + b, 0) || 1;
  let w = Matrix.zeros(1, d);
  const lossCurve: number[] = [];
  const margins = (): number[] => (pairs.length === 0 ? [] : w.mmul(Dt).getRow(0));
  const loss = (m: number[]): number => {
    let s = 0;
    m.forEach((v, i) => {
      // log(1 + e^-v), computed without overflow for large |v|.
      s += (weight[i] ?? 0) * (v > 0 ? Math.log1p(Math.exp(-v)) : -v + Math.log1p(Math.exp(v)));
    });
    return s / totalWeight + (options.l2 / 2) * w.getRow(0).reduce((a, v) => a + v * v, 0);
  };
  let m = margins();
  lossCurve.push(loss(m));
  for (let epoch = 0; epoch < options.epochs && pairs.length > 0; epoch++) {
    const coef = Matrix.rowVector(m.map((v, i) => (-(weight[i] ?? 0) * sigmoid(-v)) / totalWeight));
    const grad = coef.mmul(D).add(Matrix.mul(w, options.l2));
    w = Matrix.sub(w, Matrix.mul(grad, options.learningRate));
    m = margins();
    lossCurve.push(loss(m));
  }
  return { weights: w.getRow(0), lossCurve, pairs: pairs.length };
}

/** Score of one standardised row: higher ranks first. */
export function scoreLinear(weights: readonly number[], row: readonly number[]): number {
  let s = 0;
  row.forEach((v, j) => {
    s += v * (weights[j] ?? 0);
  });
  return s;
}
