/**
 * `forecast:snapshot`: daily order counts per warehouse through the cutoff,
 * with trend, weekly season, promotion peaks and noise. `missingLastDays`
 * drops the newest days of one warehouse's feed: the "latest counts not
 * loaded" failure a forecast must never be trained on.
 */
import { writeFileSync } from "node:fs";
import { formatCsv } from "../../stages/lib/csv.js";
import { addDays, daysBetween, weekday } from "../../stages/lib/dates.js";
import { shortDigest } from "../../stages/lib/digest.js";
import { round } from "../../stages/lib/numbers.js";
import { rngFor } from "../../stages/lib/rng.js";
import type { SnapshotEvidence } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { ForecastStages } from "./pipeline.js";
import { COUNT_COLUMNS } from "./schema.js";
import { PEAK_UPLIFT, WAREHOUSES, WEEKLY, isPeakDay } from "./warehouses.js";

/** Params of `forecast:snapshot`. */
export type ForecastSnapshotParams = StageContextOf<ForecastStages["snapshot"]>["params"];

/** The history's first day: day index 0 for trend and peak calendar. */
export function historyStart(params: Pick<ForecastSnapshotParams, "cutoff" | "historyDays">): string {
  return addDays(params.cutoff, -params.historyDays);
}

/** Writes `counts.csv`; returns the snapshot evidence. */
export function generateCounts(ctx: StageContextOf<ForecastStages["snapshot"]>): { evidence: SnapshotEvidence } {
  const rows = simulateCounts(ctx.params);
  const text = formatCsv(COUNT_COLUMNS, rows);
  writeFileSync(ctx.outs.counts, text);
  const latest = rows.reduce((m, r) => (r.date > m ? r.date : m), "");
  ctx.log(`forecast snapshot: ${rows.length} warehouse-days through ${latest}`);
  const peaks = rows.filter((r) => r.peak === "1").length;
  return {
    evidence: {
      cutoff: ctx.params.cutoff,
      latest_event: latest,
      rows: { counts: rows.length },
      digests: { counts: shortDigest(text) },
      summary: { warehouses: WAREHOUSES.length, peak_share: round(peaks / Math.max(1, rows.length), 6) },
    },
  };
}

/** Pure simulation. */
export function simulateCounts(params: ForecastSnapshotParams): { date: string; warehouse: string; orders: string; peak: string }[] {
  const start = historyStart(params);
  const rows: { date: string; warehouse: string; orders: string; peak: string }[] = [];
  for (const [w, wh] of WAREHOUSES.entries()) {
    const rng = rngFor(params.seed, `forecast/${wh.warehouse}`);
    for (let d = 0; d < params.historyDays; d++) {
      const date = addDays(start, d);
      const missing = w === 0 && daysBetween(date, params.cutoff) <= params.missingLastDays;
      const level = (wh.base + wh.trendPerDay * d) * (WEEKLY[weekday(date)] ?? 1) * (isPeakDay(d) ? PEAK_UPLIFT : 1);
      const orders = Math.max(0, Math.round(level * (1 + rng.normal(0, params.noise))));
      if (missing) continue; // drawn anyway, so other days keep their values
      rows.push({ date, warehouse: wh.warehouse, orders: String(orders), peak: isPeakDay(d) ? "1" : "0" });
    }
  }
  return rows;
}
