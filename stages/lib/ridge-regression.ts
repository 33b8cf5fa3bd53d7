/**
 * Ridge regression (squared loss + L2 on weights, not on the intercept),
 * fitted by full-batch gradient descent with momentum on ml-matrix, so the
 * loss curve can be recorded step by step. `ridgeClosedForm` solves the same
 * problem exactly with ml-matrix's `solve`; tests check the two agree.
 */
import { Matrix, solve } from "ml-matrix";

/** Training knobs. */
export interface RidgeOptions {
  readonly learningRate: number;
  readonly epochs: number;
  readonly l2: number;
  /** Heavy-ball momentum in [0, 1); default 0.9. */
  readonly momentum?: number;
}

/** A fitted linear model. */
export interface RidgeFit {
  readonly weights: number[];
  readonly intercept: number;
  /** Objective (mean squared error / 2 + l2/2 |w|^2) before the first step and after each epoch. */
  readonly lossCurve: number[];
}

/** Fits standardised rows `x` to targets `y`. */
export function fitRidge(x: readonly (readonly number[])[], y: readonly number[], options: RidgeOptions): RidgeFit {
  const n = Math.max(1, x.length);
  const X = new Matrix(x as number[][]);
  const Xt = X.transpose();
  const Y = Matrix.columnVector([...y]);
  let w = Matrix.zeros(X.columns, 1);
  let b = 0;
  let vw = Matrix.zeros(X.columns, 1);
  let vb = 0;
  const mu = options.momentum ?? 0.9;
  const objective = (residual: Matrix): number => residual.norm("frobenius") ** 2 / (2 * n) + (options.l2 / 2) * w.norm("frobenius") ** 2;
  const residualOf = (): Matrix => X.mmul(w).add(b).sub(Y);
  let r = residualOf();
  const lossCurve = [objective(r)];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const grad = Xt.mmul(r).div(n).add(Matrix.mul(w, options.l2));
    const gradB = r.sum() / n;
    vw = Matrix.mul(vw, mu).sub(Matrix.mul(grad, options.learningRate));
    vb = mu * vb - options.learningRate * gradB;
    w = Matrix.add(w, vw);
    b += vb;
    r = residualOf();
    lossCurve.push(objective(r));
  }
  return { weights: w.getColumn(0), intercept: b, lossCurve };
}

/** The exact minimiser of the same objective (centred normal equations). */
export function ridgeClosedForm(x: readonly (readonly number[])[], y: readonly number[], l2: number): { weights: number[]; intercept: number } {
  const n = x.length;
  const X = new Matrix(x as number[][]);
  const means = X.mean("column");
  const yMean = y.reduce((a, v) => a + v, 0) / n;
  const Xc = X.clone().subRowVector(means);
  const A = Xc.transpose().mmul(Xc).div(n).add(Matrix.eye(X.columns).mul(l2));
  const rhs = Xc.transpose().mmul(Matrix.columnVector(y.map((v) => v - yMean))).div(n);
  const weights = solve(A, rhs).getColumn(0);
  const intercept = yMean - weights.reduce((a, wj, j) => a + wj * (means[j] ?? 0), 0);
  return { weights, intercept };
}

/** Prediction for one standardised row. */
export function predictLinear(weights: readonly number[], intercept: number, row: readonly number[]): number {
  let s = intercept;
  row.forEach((v, j) => {
    s += v * (weights[j] ?? 0);
  });
  return s;
}
