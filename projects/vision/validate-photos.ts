/**
 * `vision:validate`: gates on the photo snapshot before training:
 * `schema_valid` (manifest and feature rows, pixel file size), `freshness`
 * (capture times reach the cutoff, none after), `usable_image_rate` (enough
 * photos pass the quality gate for the model to matter), `no_shipment_leakage`
 * (photos of one shipment never straddle splits) and `min_rows`.
 */
import { readFileSync, statSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { toMs } from "../../stages/lib/dates.js";
import { fileDigest, shortDigest } from "../../stages/lib/digest.js";
import { thresholdGate, type Gate } from "../../stages/lib/gate.js";
import { freshnessGate, leakageGate, minRowsGate, rate, schemaGate } from "../../stages/lib/snapshot-checks.js";
import type { StageContextOf } from "sluice";
import type { VisionStages } from "./pipeline.js";
import { TILE } from "./photo-sheet.js";
import { PHOTO_COLUMNS, PHOTO_FEATURE_COLUMNS, PhotoFeatureRow, PhotoRow } from "./schema.js";

/** Params of `vision:validate`. */
export type PhotoValidateParams = StageContextOf<VisionStages["validate"]>["params"];

/** The gates `vision:validate` writes. */
export type VisionValidationGates = Record<"schema_valid" | "freshness" | "usable_image_rate" | "no_shipment_leakage" | "min_rows", Gate>;

/** Stage function. */
export function validatePhotos(
  ctx: StageContextOf<VisionStages["validate"]>,
): VisionValidationGates {
  const gates = checkPhotos(
    { manifest: readFileSync(ctx.deps.manifest, "utf8"), features: readFileSync(ctx.deps.features, "utf8"), pixelBytes: statSync(ctx.deps.pixels).size, pixelDigest: fileDigest(ctx.deps.pixels) },
    ctx.params,
  );
  for (const g of Object.values(gates)) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return gates;
}

/** Pure check. */
export function checkPhotos(
  files: { manifest: string; features: string; pixelBytes: number; pixelDigest: string },
  params: PhotoValidateParams,
): VisionValidationGates {
  const manifest = parseCsv(files.manifest);
  const features = parseCsv(files.features);
  let schema = schemaGate([
    { name: "photos", table: manifest, schema: PhotoRow, columns: PHOTO_COLUMNS, digest: shortDigest(files.manifest) },
    { name: "features", table: features, schema: PhotoFeatureRow, columns: PHOTO_FEATURE_COLUMNS, digest: shortDigest(files.features) },
  ]);
  const expectedBytes = features.rows.length * TILE * TILE * 3 * 4;
  if (files.pixelBytes !== expectedBytes) {
    schema = { ...schema, passed: false, value: (typeof schema.value === "number" ? schema.value : 0) + 1, evidence: { ...schema.evidence, why: `pixels.f32 holds ${files.pixelBytes} bytes, expected ${expectedBytes} for ${features.rows.length} photos`, pixels: files.pixelDigest } };
  }
  const usable = features.rows.filter((r) => r["usable"] === "1").length;
  const bySource: Record<string, number> = {};
  for (const r of features.rows) if (r["usable"] !== "1") bySource[r["source"] ?? ""] = (bySource[r["source"] ?? ""] ?? 0) + 1;
  const splitCounts: Record<string, number> = { train: 0, valid: 0, test: 0 };
  for (const r of features.rows) if (r["usable"] === "1" && r["split"] && r["split"] in splitCounts) splitCounts[r["split"]] = (splitCounts[r["split"]] ?? 0) + 1;
  const cutoffMs = toMs(params.cutoff);
  return {
    schema_valid: schema,
    freshness: freshnessGate({ timestamps: manifest.rows.map((r) => toMs(r["captured_at"] ?? "")), cutoffMs, maxLagHours: params.maxLagHours }),
    usable_image_rate: thresholdGate("usable_image_rate", rate(usable, features.rows.length), "at_least", params.minUsableRate, {
      evidence: { usable, photos: features.rows.length, unusable_by_source: bySource },
    }),
    no_shipment_leakage: leakageGate({
      name: "no_shipment_leakage",
      rows: features.rows.map((r) => ({ id: r["photo_id"] ?? "", asOfMs: cutoffMs, sourceMaxMs: toMs(r["captured_at"] ?? "") })),
      cutoffMs,
      groups: features.rows.map((r) => ({ group: r["shipment_id"] ?? "", split: r["split"] ?? "" })),
      groupLabel: "shipment",
    }),
    min_rows: minRowsGate(splitCounts, params.minRows, params.minPerSplit),
  };
}
