/**
 * `forecast:validate`: gates on the counts and the lag table before training:
 * `schema_valid`, `latest_counts_loaded` (every warehouse has the day before
 * the cutoff, nothing after it), `no_leakage` (no lag reaches past its as-of
 * day or the cutoff; no warehouse-day in two splits) and `min_rows`.
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../../stages/lib/csv.js";
import { addDays, toMs } from "../../stages/lib/dates.js";
import { shortDigest } from "../../stages/lib/digest.js";
import { thresholdGate, type Gate } from "../../stages/lib/gate.js";
import { leakageGate, minRowsGate, schemaGate } from "../../stages/lib/snapshot-checks.js";
import type { StageContextOf } from "sluice";
import type { ForecastStages } from "./pipeline.js";
import { COUNT_COLUMNS, CountRow, ForecastFeatureRow, forecastFeatureColumns, forecastVersionOf } from "./schema.js";
import { WAREHOUSE_NAMES } from "./warehouses.js";

/** Params of `forecast:validate`. */
export type CountsValidateParams = StageContextOf<ForecastStages["validate"]>["params"];

/** The gates `forecast:validate` writes. */
export type ForecastValidationGates = Record<"schema_valid" | "latest_counts_loaded" | "no_leakage" | "min_rows", Gate>;

/** Stage function. */
export function validateCounts(ctx: StageContextOf<ForecastStages["validate"]>): ForecastValidationGates {
  const gates = checkCounts(readFileSync(ctx.deps.counts, "utf8"), readFileSync(ctx.deps.features, "utf8"), ctx.params);
  for (const g of Object.values(gates)) ctx.log(`${g.passed ? "pass" : "FAIL"} ${g.name}: ${String(g.evidence["why"])}`);
  return gates;
}

/** Pure check of the two CSV texts. */
export function checkCounts(countsCsv: string, featuresCsv: string, params: CountsValidateParams): ForecastValidationGates {
  const counts = parseCsv(countsCsv);
  const features = parseCsv(featuresCsv);
  const splitCounts: Record<string, number> = { train: 0, valid: 0, test: 0 };
  for (const r of features.rows) if (r["split"] && r["split"] in splitCounts) splitCounts[r["split"]] = (splitCounts[r["split"]] ?? 0) + 1;
  return {
    schema_valid: schemaGate([
      { name: "counts", table: counts, schema: CountRow, columns: COUNT_COLUMNS, digest: shortDigest(countsCsv) },
      { name: "features", table: features, schema: ForecastFeatureRow, columns: forecastFeatureColumns(forecastVersionOf(features.columns)), digest: shortDigest(featuresCsv) },
    ]),
    latest_counts_loaded: latestCountsGate(counts.rows, params.cutoff),
    no_leakage: leakageGate({
      rows: features.rows.map((r) => ({
        id: `${r["warehouse"]}@${r["date"]}`,
        // The forecast is made at the end of its as-of day; lags may use that day, never the target day.
        asOfMs: Math.min(toMs(r["as_of"] ?? ""), toMs(r["date"] ?? "") - 1),
        sourceMaxMs: toMs(r["source_max_date"] ?? ""),
      })),
      cutoffMs: toMs(params.cutoff) - 1,
      groups: features.rows.map((r) => ({ group: `${r["warehouse"]}@${r["date"]}`, split: r["split"] ?? "" })),
      groupLabel: "warehouse-day",
    }),
    min_rows: minRowsGate(splitCounts, params.minRows, params.minPerSplit),
  };
}

/** Every warehouse's newest count is the day before the cutoff, and none is after it. Value = share loaded. */
export function latestCountsGate(rows: readonly Record<string, string>[], cutoff: string): Gate {
  const expected = addDays(cutoff, -1);
  const latest = new Map<string, string>(WAREHOUSE_NAMES.map((w) => [w, ""]));
  let after = 0;
  for (const r of rows) {
    const d = r["date"] ?? "", w = r["warehouse"] ?? "";
    if (d >= cutoff) after++;
    else if (latest.has(w) && d > (latest.get(w) ?? "")) latest.set(w, d);
  }
  const missing = [...latest].filter(([, d]) => d !== expected).map(([warehouse, d]) => ({ warehouse, latest: d || null }));
  const loaded = (latest.size - missing.length) / latest.size;
  const gate = thresholdGate("latest_counts_loaded", loaded, "at_least", 1, {
    evidence: { expected_latest: expected, missing_warehouses: missing, rows_after_cutoff: after },
  });
  if (after === 0) return gate;
  return { ...gate, passed: false, evidence: { ...gate.evidence, why: `${after} counts are dated on or after the cutoff ${cutoff}` } };
}
