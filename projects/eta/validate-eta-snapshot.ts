/**
 * `eta:validate`: the snapshot and the feature table built from it must pass
 * before anything trains. Four gates: `schema_valid` (zod, row by row),
 * `freshness` (scan feed reaches the cutoff, nothing after it), `no_leakage`
 * (no feature from after its as-of time or the cutoff, no shipment in two
 * splits) and `min_rows`.
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { toMs } from "../../stages/lib/dates.js";
import { shortDigest } from "../../stages/lib/digest.js";
import type { Gate } from "../../stages/lib/gate.js";
import { freshnessGate, leakageGate, minRowsGate, schemaGate } from "../../stages/lib/snapshot-checks.js";
import type { StageContextOf } from "sluice";
import type { EtaStages } from "./pipeline.js";
import { FeatureRow, SCAN_COLUMNS, SHIPMENT_COLUMNS, ScanRow, ShipmentRow, featureColumns, versionOfColumns } from "./schema.js";

/** Params of `eta:validate`. */
export type EtaValidateParams = StageContextOf<EtaStages["validate"]>["params"];

/** The gates `eta:validate` writes, by name. */
export type EtaValidationGates = Record<"schema_valid" | "freshness" | "no_leakage" | "min_rows", Gate>;

/** Stage function: reads the three files and returns one gate per check. */
export function validateEtaSnapshot(ctx: StageContextOf<EtaStages["validate"]>): EtaValidationGates {
  const gates = checkEtaSnapshot(
    {
      shipments: readFileSync(ctx.deps.shipments, "utf8"),
      scans: readFileSync(ctx.deps.scans, "utf8"),
      features: readFileSync(ctx.deps.features, "utf8"),
    },
    ctx.params,
  );
  for (const g of Object.values(gates)) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return gates;
}

/** Pure check of the CSV texts. */
export function checkEtaSnapshot(files: { shipments: string; scans: string; features: string }, params: EtaValidateParams): EtaValidationGates {
  const shipments = parseCsv(files.shipments);
  const scans = parseCsv(files.scans);
  const features = parseCsv(files.features);
  const cutoffMs = toMs(params.cutoff);
  const splitCounts: Record<string, number> = { train: 0, valid: 0, test: 0 };
  for (const r of features.rows) if (r["split"] && r["split"] in splitCounts) splitCounts[r["split"]] = (splitCounts[r["split"]] ?? 0) + 1;
  return {
    schema_valid: schemaGate([
      { name: "shipments", table: shipments, schema: ShipmentRow, columns: SHIPMENT_COLUMNS, digest: shortDigest(files.shipments) },
      { name: "scans", table: scans, schema: ScanRow, columns: SCAN_COLUMNS, digest: shortDigest(files.scans) },
      { name: "features", table: features, schema: FeatureRow, columns: featureColumns(versionOfColumns(features.columns)), digest: shortDigest(files.features) },
    ]),
    freshness: freshnessGate({
      timestamps: scans.rows.map((r) => toMs(r["scan_at"] ?? "")),
      cutoffMs,
      maxLagHours: params.maxLagHours,
    }),
    no_leakage: leakageGate({
      rows: features.rows.map((r) => ({ id: r["shipment_id"] ?? "", asOfMs: toMs(r["as_of"] ?? ""), sourceMaxMs: toMs(r["source_max_at"] ?? "") })),
      cutoffMs,
      groups: features.rows.map((r) => ({ group: r["shipment_id"] ?? "", split: r["split"] ?? "" })),
      groupLabel: "shipment",
    }),
    min_rows: minRowsGate(splitCounts, params.minRows, params.minPerSplit),
  };
}
