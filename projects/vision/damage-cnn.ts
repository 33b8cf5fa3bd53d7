/**
 * The damage classifier: a small CNN on tfjs (pure-JS CPU backend).
 *
 *   16x16x3 --conv 3x3 (F filters, same padding)--> 16x16xF --max-pool 2--> 8x8xF --relu--> dense --> p(damaged)
 *
 * The convolution is written as im2col + matMul rather than tfjs-layers'
 * conv2d: on the CPU backend conv2d's backward kernels measured ~15x slower
 * than its forward pass (1.9 s per epoch of 128 photos for 8 filters), while
 * matMul and its gradient are fast. The patches of the (constant) input are
 * cut once, four times over (one per max-pool offset), so pooling becomes an
 * element-wise maximum of four matMuls, which tfjs differentiates exactly.
 * Weights start from our seeded RNG (Glorot uniform), batches are shuffled by
 * it, and nothing else is random: same params, same bytes.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// tfjs-layers registers the gradient functions of tfjs-core's ops.
import "@tensorflow/tfjs-layers";
import { Rng } from "../../stages/lib/rng.js";
import { TILE } from "./photo-sheet.js";

const POOLED = TILE / 2;
const PATCH = 3 * 3 * 3;

/** Trainable tensors, by name, as plain arrays (what the model file stores). */
export interface CnnWeights {
  readonly conv_w: Float32Array; // [PATCH, F]
  readonly conv_b: Float32Array; // [F]
  readonly dense_w: Float32Array; // [POOLED*POOLED*F, 1]
  readonly dense_b: Float32Array; // [1]
}

/** Training knobs. */
export interface CnnTrainOptions {
  readonly filters: number;
  readonly learningRate: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
}

let backendReady: Promise<boolean> | undefined;

/** Selects the CPU backend once, quietly (prod mode skips the "install tfjs-node" banner). */
export function ensureBackend(): Promise<boolean> {
  if (!backendReady) {
    tf.enableProdMode();
    backendReady = tf.setBackend("cpu");
  }
  return backendReady;
}

/**
 * im2col for every photo and pool offset: `patches[k]` holds, for photo i and
 * pooled cell (py, px), the 3x3x3 neighbourhood of pixel (2py+dy, 2px+dx)
 * with k = 2dy+dx; out-of-image neighbours are 0 (the standardised mean).
 */
export function poolPatches(pixels: Float32Array, count: number): Float32Array[] {
  const per = TILE * TILE * 3;
  const out = [0, 1, 2, 3].map(() => new Float32Array(count * POOLED * POOLED * PATCH));
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < 4; k++) {
      const dy = k >> 1, dx = k & 1, dst = out[k] as Float32Array;
      for (let py = 0; py < POOLED; py++) {
        for (let px = 0; px < POOLED; px++) {
          const y = 2 * py + dy, x = 2 * px + dx;
          let o = ((i * POOLED + py) * POOLED + px) * PATCH;
          for (let ky = -1; ky <= 1; ky++) {
            for (let kx = -1; kx <= 1; kx++) {
              const yy = y + ky, xx = x + kx;
              const inside = yy >= 0 && xx >= 0 && yy < TILE && xx < TILE;
              for (let c = 0; c < 3; c++) dst[o++] = inside ? (pixels[i * per + (yy * TILE + xx) * 3 + c] ?? 0) : 0;
            }
          }
        }
      }
    }
  }
  return out;
}

/** Glorot-uniform initial weights from our seeded RNG. */
export function initialWeights(filters: number, seed: number): CnnWeights {
  const rng = new Rng(seed);
  const glorot = (fanIn: number, fanOut: number, n: number): Float32Array => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: n }, () => rng.uniform(-limit, limit));
  };
  const flat = POOLED * POOLED * filters;
  return { conv_w: glorot(PATCH, filters, PATCH * filters), conv_b: new Float32Array(filters), dense_w: glorot(flat, 1, flat), dense_b: new Float32Array(1) };
}

/** Logits for a batch given its four patch tensors. */
function logits(patches: tf.Tensor2D[], batch: number, v: Record<keyof CnnWeights, tf.Tensor>): tf.Tensor2D {
  const conv = patches.map((p) => tf.add(tf.matMul(p, v.conv_w as tf.Tensor2D), v.conv_b));
  const pooled = tf.relu(tf.maximum(tf.maximum(conv[0] as tf.Tensor, conv[1] as tf.Tensor), tf.maximum(conv[2] as tf.Tensor, conv[3] as tf.Tensor)));
  const flat = tf.reshape(pooled, [batch, -1]) as tf.Tensor2D;
  return tf.add(tf.matMul(flat, v.dense_w as tf.Tensor2D), v.dense_b) as tf.Tensor2D;
}

function batchPatches(all: Float32Array[], rows: readonly number[]): tf.Tensor2D[] {
  const cell = POOLED * POOLED * PATCH;
  return all.map((src) => {
    const buf = new Float32Array(rows.length * cell);
    rows.forEach((r, j) => buf.set(src.subarray(r * cell, (r + 1) * cell), j * cell));
    return tf.tensor2d(buf, [rows.length * POOLED * POOLED, PATCH]);
  });
}

/** Trains on the rows `train` of the patch arrays; returns weights and the per-epoch mean loss. */
export async function trainCnn(patches: Float32Array[], labels: readonly number[], train: readonly number[], options: CnnTrainOptions): Promise<{ weights: CnnWeights; lossCurve: number[] }> {
  await ensureBackend();
  const init = initialWeights(options.filters, options.seed);
  const flat = POOLED * POOLED * options.filters;
  const vars = {
    conv_w: tf.variable(tf.tensor2d(init.conv_w, [PATCH, options.filters])),
    conv_b: tf.variable(tf.tensor1d(init.conv_b)),
    dense_w: tf.variable(tf.tensor2d(init.dense_w, [flat, 1])),
    dense_b: tf.variable(tf.tensor1d(init.dense_b)),
  };
  const optimizer = tf.train.adam(options.learningRate);
  const rng = new Rng(options.seed + 1);
  const lossCurve: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = rng.shuffled(train);
    let total = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const rows = order.slice(start, start + options.batchSize);
      const batch = batchPatches(patches, rows);
      const y = tf.tensor2d(rows.map((r) => labels[r] ?? 0), [rows.length, 1]);
      const loss = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(y, logits(batch, rows.length, vars)) as tf.Scalar, true);
      total += (loss?.dataSync()[0] ?? 0) * rows.length;
      tf.dispose([y, ...batch]);
      loss?.dispose();
    }
    lossCurve.push(total / Math.max(1, order.length));
  }
  const weights: CnnWeights = {
    conv_w: vars.conv_w.dataSync() as Float32Array,
    conv_b: vars.conv_b.dataSync() as Float32Array,
    dense_w: vars.dense_w.dataSync() as Float32Array,
    dense_b: vars.dense_b.dataSync() as Float32Array,
  };
  tf.dispose([...Object.values(vars)]);
  optimizer.dispose();
  return { weights, lossCurve };
}

/** Damage probabilities for the rows `which` of the patch arrays. */
export async function predictCnn(weights: CnnWeights, filters: number, patches: Float32Array[], which: readonly number[]): Promise<number[]> {
  await ensureBackend();
  if (which.length === 0) return [];
  return tf.tidy(() => {
    const v = {
      conv_w: tf.tensor2d(weights.conv_w, [PATCH, filters]),
      conv_b: tf.tensor1d(weights.conv_b),
      dense_w: tf.tensor2d(weights.dense_w, [POOLED * POOLED * filters, 1]),
      dense_b: tf.tensor1d(weights.dense_b),
    };
    return Array.from(tf.sigmoid(logits(batchPatches(patches, which), which.length, v)).dataSync());
  });
}
