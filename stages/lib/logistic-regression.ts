/**
 * Binary logistic regression with L2, fitted by full-batch gradient descent
 * on ml-matrix. Gradient descent rather than Newton so the learning rate and
 * epochs are real knobs (a wrong learning rate is a story the ETA project
 * tells) and the loss curve is recorded step by step. Full batch keeps it
 * deterministic: no sampling order to seed.
 */
import { Matrix } from "ml-matrix";
import { sigmoid } from "./numbers.js";

/** Training knobs. */
export interface LogisticOptions {
  readonly learningRate: number;
  readonly epochs: number;
  /** L2 penalty on weights (not the bias). */
  readonly l2: number;
  /** Weight of positive rows in the loss (cost-sensitive training); default 1. */
  readonly positiveWeight?: number;
}

/** A fitted model and how the loss went. */
export interface LogisticFit {
  readonly weights: number[];
  readonly bias: number;
  /** Penalised training loss before the first step and after every epoch. */
  readonly lossCurve: number[];
}

/** Fits on standardised rows `x` and 0/1 labels `y`. */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly number[], options: LogisticOptions): LogisticFit {
  const n = x.length;
  const X = new Matrix(x as number[][]);
  const Xt = X.transpose();
  const d = X.columns;
  let w = Matrix.zeros(d, 1);
  let b = 0;
  const pw = options.positiveWeight ?? 1;
  const rowWeight = y.map((label) => (label === 1 ? pw : 1));
  const totalWeight = rowWeight.reduce((a, c) => a + c, 0);
  const lossCurve: number[] = [];

  const probabilities = (): number[] => {
    const z = X.mmul(w).getColumn(0);
    return z.map((v) => sigmoid(v + b));
  };
  const loss = (p: number[]): number => {
    let s = 0;
    p.forEach((pi, i) => {
      const q = Math.min(1 - 1e-12, Math.max(1e-12, pi));
      s -= (rowWeight[i] ?? 1) * ((y[i] ?? 0) * Math.log(q) + (1 - (y[i] ?? 0)) * Math.log(1 - q));
    });
    return s / totalWeight + (options.l2 / 2) * w.getColumn(0).reduce((a, v) => a + v * v, 0);
  };

  let p = probabilities();
  lossCurve.push(loss(p));
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const residual = Matrix.columnVector(p.map((pi, i) => ((rowWeight[i] ?? 1) * (pi - (y[i] ?? 0))) / totalWeight));
    const grad = Xt.mmul(residual).add(Matrix.mul(w, options.l2));
    const gradB = residual.sum();
    w = Matrix.sub(w, Matrix.mul(grad, options.learningRate));
    b -= options.learningRate * gradB;
    p = probabilities();
    lossCurve.push(loss(p));
  }
  if (n === 0) return { weights: new Array<number>(d).fill(0), bias: 0, lossCurve };
  return { weights: w.getColumn(0), bias: b, lossCurve };
}

/** Probability for one standardised row. */
export function predictLogistic(weights: readonly number[], bias: number, row: readonly number[]): number {
  let z = bias;
  row.forEach((v, j) => {
    z += v * (weights[j] ?? 0);
  });
  return sigmoid(z);
}
