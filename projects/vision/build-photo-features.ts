/**
 * `vision:features`: `parcel_rgb_v1`. Measures each photo's quality
 * (brightness, sharpness: unusable photos go to manual review instead of the
 * model), splits by shipment so no parcel is both learned and judged, and
 * writes the pixels standardised per channel with train-split statistics as
 * little-endian float32 (`pixels.f32`, photo-major, HWC).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { formatCsv, parseCsv } from "../../stages/lib/csv.js";
import { fixed, round } from "../../stages/lib/numbers.js";
import { rngFor } from "../../stages/lib/rng.js";
import type { StageContextOf } from "sluice";
import type { VisionStages } from "./pipeline.js";
import { brightness, readSheet, sharpness, type Photo } from "./photo-sheet.js";
import { PHOTO_FEATURE_COLUMNS } from "./schema.js";

/** Params of `vision:features`. */
export type PhotoFeatureParams = StageContextOf<VisionStages["features"]>["params"];

/** Per-channel standardisation, recorded for the model file. */
export interface PixelNorm {
  readonly mean: number[];
  readonly std: number[];
}

/** Stage function: writes `features.csv` and `pixels.f32`, returns the normalisation. */
export function buildPhotoFeatures(
  ctx: StageContextOf<VisionStages["features"]>,
): { norm: PixelNorm } {
  const manifest = parseCsv(readFileSync(ctx.deps.manifest, "utf8")).rows;
  const photos = readSheet(ctx.deps.sheet, manifest.length);
  const { rows, pixels, norm } = photoFeatures(manifest, photos, ctx.params);
  writeFileSync(ctx.outs.table, formatCsv(PHOTO_FEATURE_COLUMNS, rows));
  writeFileSync(ctx.outs.pixels, new Uint8Array(pixels.buffer));
  ctx.log(`vision features: ${rows.length} photos, ${rows.filter((r) => r["usable"] === "1").length} usable`);
  return { norm };
}

/** Pure computation over manifest rows and their photos (same order). */
export function photoFeatures(
  manifest: readonly Record<string, string>[],
  photos: readonly Photo[],
  params: PhotoFeatureParams,
): { rows: Record<string, string>[]; pixels: Float32Array; norm: PixelNorm } {
  const shipments = [...new Set(manifest.map((r) => r["shipment_id"] ?? ""))].sort();
  const order = rngFor(params.splitSeed, "vision/split").shuffled(shipments);
  const nTest = Math.round(order.length * params.testShare), nValid = Math.round(order.length * params.validShare);
  const splitOf = new Map(order.map((s, i) => [s, i < nTest ? "test" : i < nTest + nValid ? "valid" : "train"]));
  const rows = manifest.map((r, i) => {
    const photo = photos[i] as Photo;
    const b = brightness(photo), s = sharpness(photo);
    return {
      photo_id: r["photo_id"] ?? "",
      shipment_id: r["shipment_id"] ?? "",
      source: r["source"] ?? "",
      split: splitOf.get(r["shipment_id"] ?? "") ?? "train",
      captured_at: r["captured_at"] ?? "",
      brightness: fixed(b, 2),
      sharpness: fixed(s, 2),
      usable: b >= params.minBrightness && s >= params.minSharpness ? "1" : "0",
      damaged: r["damaged"] ?? "0",
    };
  });
  const norm = channelNorm(photos.filter((_, i) => rows[i]?.split === "train" && rows[i]?.usable === "1"));
  const size = photos[0]?.length ?? 0;
  const pixels = new Float32Array(photos.length * size);
  photos.forEach((photo, i) => {
    for (let k = 0; k < size; k++) pixels[i * size + k] = ((photo[k] ?? 0) - (norm.mean[k % 3] ?? 0)) / (norm.std[k % 3] ?? 1);
  });
  return { rows, pixels, norm };
}

function channelNorm(photos: readonly Photo[]): PixelNorm {
  const sum = [0, 0, 0], sq = [0, 0, 0];
  let n = 0;
  for (const p of photos) {
    for (let k = 0; k < p.length; k++) {
      const c = k % 3, v = p[k] ?? 0;
      sum[c] = (sum[c] ?? 0) + v;
      sq[c] = (sq[c] ?? 0) + v * v;
    }
    n += p.length / 3;
  }
  const mean = sum.map((s) => s / Math.max(1, n));
  const std = sq.map((s, c) => Math.sqrt(Math.max(1e-6, s / Math.max(1, n) - (mean[c] ?? 0) ** 2)));
  return { mean: mean.map((m) => round(m, 4)), std: std.map((s) => round(s, 4)) };
}
