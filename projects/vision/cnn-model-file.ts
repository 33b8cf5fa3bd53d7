/**
 * The `damage_cnn` model file: architecture knobs, the pixel normalisation,
 * and the trained float32 tensors as base64 of their little-endian bytes
 * (exact, so the file's digest is the weights' digest).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CnnWeights } from "./damage-cnn.js";

/** Contract of `model/damage_cnn.json`. */
export const CnnModelSchema = z.object({
  model_id: z.literal("damage_cnn"),
  feature_version: z.string(),
  filters: z.number().int().positive(),
  norm: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  weights: z.object({ conv_w: z.string(), conv_b: z.string(), dense_w: z.string(), dense_b: z.string() }),
  loss_curve: z.array(z.number()),
  hyperparameters: z.record(z.string(), z.number()),
});
export type CnnModelFile = z.infer<typeof CnnModelSchema>;

/** float32 array -> base64 of its bytes (little-endian on every platform Node runs on). */
export function encodeTensor(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
}

/** base64 -> float32 array. */
export function decodeTensor(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The weights of a parsed model file. */
export function weightsOf(model: CnnModelFile): CnnWeights {
  return {
    conv_w: decodeTensor(model.weights.conv_w),
    conv_b: decodeTensor(model.weights.conv_b),
    dense_w: decodeTensor(model.weights.dense_w),
    dense_b: decodeTensor(model.weights.dense_b),
  };
}

/** Reads `pixels.f32` as float32 values. */
export function readPixels(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
