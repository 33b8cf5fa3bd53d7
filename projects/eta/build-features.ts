/**
 * `eta:features`: `eta_features_v1`, one row per shipment as seen
 * `predictionHours` after pickup (`eta_features_v1`): distance, carrier, weather, lane
 * criticality, and what the scans so far say (count, longest gap, hours since
 * the last scan); `eta_features_v2` adds the route's next-day weather
 * forecast. Each row records its as-of time and the newest event it
 * used, so validation can prove nothing came from the future. Splits are by
 * pickup time (oldest train, then valid, newest test): the model is judged on
 * shipments later than any it learned from.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { formatCsv, parseCsv } from "../../stages/lib/csv.js";
import { HOUR_MS, isoMinute, toMs } from "../../stages/lib/dates.js";
import { fixed } from "../../stages/lib/numbers.js";
import type { StageContextOf } from "sluice";
import type { EtaStages } from "./pipeline.js";
import { LANES } from "./lanes.js";
import { featureColumns } from "./schema.js";

/** Params of `eta:features`. */
export type EtaFeatureParams = StageContextOf<EtaStages["features"]>["params"];

/** Writes `features.csv`. */
export function buildEtaFeatures(ctx: StageContextOf<EtaStages["features"]>): void {
  const rows = etaFeatureRows(readFileSync(ctx.deps.shipments, "utf8"), readFileSync(ctx.deps.scans, "utf8"), ctx.params);
  writeFileSync(ctx.outs.table, formatCsv(featureColumns(ctx.params.version), rows));
  ctx.log(`eta features (${ctx.params.version}): ${rows.length} rows`);
}

type FeatureCells = Record<string, string>;

/** Pure feature computation from the two CSV texts. Rows that do not parse are skipped (validation reports them). */
export function etaFeatureRows(shipmentsCsv: string, scansCsv: string, params: EtaFeatureParams): FeatureCells[] {
  const scansById = new Map<string, number[]>();
  for (const s of parseCsv(scansCsv).rows) {
    const t = toMs(s["scan_at"] ?? "");
    if (!Number.isFinite(t)) continue;
    const list = scansById.get(s["shipment_id"] ?? "") ?? [];
    list.push(t);
    scansById.set(s["shipment_id"] ?? "", list);
  }
  const laneInfo = new Map(LANES.map((l) => [l.lane, l]));
  const usable = parseCsv(shipmentsCsv).rows.filter((s) => laneInfo.has(s["lane"] ?? "") && Number.isFinite(toMs(s["pickup_at"] ?? "")));
  // Stable order by pickup time, then id: the split boundary must not depend on file order.
  const ordered = [...usable].sort((a, b) => cmp(a["pickup_at"] ?? "", b["pickup_at"] ?? "") || cmp(a["shipment_id"] ?? "", b["shipment_id"] ?? ""));
  const nTest = Math.round(ordered.length * params.testShare);
  const nValid = Math.round(ordered.length * params.validShare);
  const nTrain = ordered.length - nTest - nValid;
  return ordered.map((s, i) => {
    const split = i < nTrain ? "train" : i < nTrain + nValid ? "valid" : "test";
    const pickup = toMs(s["pickup_at"] ?? "");
    const asOf = pickup + params.predictionHours * HOUR_MS;
    const seen = (scansById.get(s["shipment_id"] ?? "") ?? []).filter((t) => t <= asOf).sort((a, b) => a - b);
    const last = seen[seen.length - 1] ?? pickup;
    let maxGap = 0;
    for (let k = 1; k < seen.length; k++) maxGap = Math.max(maxGap, ((seen[k] as number) - (seen[k - 1] as number)) / HOUR_MS);
    const sinceScan = (asOf - last) / HOUR_MS;
    const lane = laneInfo.get(s["lane"] ?? "");
    const critical = lane?.critical ? 1 : 0;
    const weather = Number(s["weather"]);
    return {
      shipment_id: s["shipment_id"] ?? "",
      split,
      lane: s["lane"] ?? "",
      carrier: s["carrier"] ?? "",
      critical: String(critical),
      as_of: isoMinute(asOf),
      source_max_at: isoMinute(last),
      distance: fixed(Number(s["distance_km"]) / 1000, 4),
      carrier_swift: s["carrier"] === "swift" ? "1" : "0",
      carrier_parcelco: s["carrier"] === "parcelco" ? "1" : "0",
      weather: String(weather),
      weather_critical: String(weather * critical),
      scans_so_far: String(seen.length),
      max_gap_h: fixed(Math.max(maxGap, sinceScan), 2),
      hours_since_scan: fixed(sinceScan, 2),
      slack_h: fixed((toMs(s["promised_at"] ?? "") - pickup) / HOUR_MS, 1),
      ...(params.version === "eta_features_v2" ? { forecast: String(Number(s["forecast"])), forecast_critical: String(Number(s["forecast"]) * critical) } : {}),
      late: (s["delivered_at"] ?? "") > (s["promised_at"] ?? "") ? "1" : "0",
    };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
