/**
 * `forecast:features`: `demand_lags_v1` — the forecast for day t is made on
 * day t-7 (the horizon warehouses staff for), from lags 7/14/28, the mean of
 * the week ending t-7, day of week, the promotion calendar and trend.
 * `demand_lags_v2` adds peak x level interactions, because a promotion
 * multiplies demand rather than adding a fixed amount. Split by date: the
 * newest `testDays` are the test split, the `validDays` before them valid.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { formatCsv, parseCsv } from "../../stages/lib/csv.js";
import { addDays, daysBetween, weekday } from "../../stages/lib/dates.js";
import { fixed } from "../../stages/lib/numbers.js";
import type { StageContextOf } from "sluice";
import type { ForecastStages } from "./pipeline.js";
import { forecastFeatureColumns } from "./schema.js";

/** Params of `forecast:features`. */
export type LagFeatureParams = StageContextOf<ForecastStages["features"]>["params"];

/** Writes `features.csv` from `counts.csv`. */
export function buildLagFeatures(ctx: StageContextOf<ForecastStages["features"]>): void {
  const rows = lagFeatureRows(readFileSync(ctx.deps.counts, "utf8"), ctx.params);
  writeFileSync(ctx.outs.table, formatCsv(forecastFeatureColumns(ctx.params.version), rows));
  ctx.log(`forecast features (${ctx.params.version}): ${rows.length} rows`);
}

/** Pure feature computation. Days whose lags are missing are skipped. */
export function lagFeatureRows(countsCsv: string, params: LagFeatureParams): Record<string, string>[] {
  const byWarehouse = new Map<string, Map<string, { orders: number; peak: number }>>();
  let first = "9999-12-31", last = "0000-01-01";
  for (const r of parseCsv(countsCsv).rows) {
    const orders = Number(r["orders"]), date = r["date"] ?? "", wh = r["warehouse"] ?? "";
    if (!Number.isFinite(orders) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) continue;
    const series = byWarehouse.get(wh) ?? new Map<string, { orders: number; peak: number }>();
    series.set(date, { orders, peak: r["peak"] === "1" ? 1 : 0 });
    byWarehouse.set(wh, series);
    if (date < first) first = date;
    if (date > last) last = date;
  }
  const testStart = addDays(last, -params.testDays + 1);
  const validStart = addDays(testStart, -params.validDays);
  const h = params.horizonDays;
  const out: Record<string, string>[] = [];
  for (const wh of [...byWarehouse.keys()].sort()) {
    const series = byWarehouse.get(wh) as Map<string, { orders: number; peak: number }>;
    for (const date of [...series.keys()].sort()) {
      const at = (back: number): number => series.get(addDays(date, -back))?.orders ?? Number.NaN;
      const week = [0, 1, 2, 3, 4, 5, 6].map((k) => at(h + k));
      const lags = [at(h), at(2 * h), at(28)];
      if ([...lags, ...week].some((v) => !Number.isFinite(v))) continue;
      const mean7 = week.reduce((a, b) => a + b, 0) / 7;
      const dow = weekday(date);
      const peak = series.get(date)?.peak ?? 0;
      const row: Record<string, string> = {
        date,
        warehouse: wh,
        split: date >= testStart ? "test" : date >= validStart ? "valid" : "train",
        as_of: addDays(date, -h),
        source_max_date: addDays(date, -h),
        lag7: String(lags[0]),
        lag14: String(lags[1]),
        lag28: String(lags[2]),
        mean7_lag7: fixed(mean7, 2),
        dow_mon: dow === 0 ? "1" : "0",
        dow_tue: dow === 1 ? "1" : "0",
        dow_wed: dow === 2 ? "1" : "0",
        dow_thu: dow === 3 ? "1" : "0",
        dow_fri: dow === 4 ? "1" : "0",
        dow_sat: dow === 5 ? "1" : "0",
        peak: String(peak),
        trend: fixed(daysBetween(first, date) / 100, 2),
        orders: String(series.get(date)?.orders ?? 0),
      };
      if (params.version === "demand_lags_v2") {
        row["peak_x_lag7"] = String(peak * (lags[0] as number));
        row["peak_x_mean7"] = fixed(peak * mean7, 2);
      }
      out.push(row);
    }
  }
  return out;
}
