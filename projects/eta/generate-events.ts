/**
 * `eta:snapshot`: synthetic carrier scan events through a cutoff. Each
 * shipment picks a lane and carrier, meets the weather of its pickup day, and
 * sometimes stalls at a hub (a long scan gap early on). Lateness comes from
 * carrier noise, weather times the lane's exposure (large on critical lanes)
 * and stalls, so a model can learn it from what is visible 12 hours in.
 */
import { writeFileSync } from "node:fs";
import { formatCsv } from "../../stages/lib/csv.js";
import { HOUR_MS, isoMinute, toMs } from "../../stages/lib/dates.js";
import { shortDigest } from "../../stages/lib/digest.js";
import { fixed, round } from "../../stages/lib/numbers.js";
import { rngFor } from "../../stages/lib/rng.js";
import type { SnapshotEvidence } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { EtaStages } from "./pipeline.js";
import { CARRIERS, LANES } from "./lanes.js";
import { SCAN_COLUMNS, SHIPMENT_COLUMNS } from "./schema.js";

/** Params of `eta:snapshot`. */
export type EtaSnapshotParams = StageContextOf<EtaStages["snapshot"]>["params"];

/** Writes `shipments.csv` and `scans.csv`; returns the snapshot evidence. */
export function generateEtaEvents(
  ctx: StageContextOf<EtaStages["snapshot"]>,
): { evidence: SnapshotEvidence } {
  const { shipments, scans } = simulateEta(ctx.params);
  const shipmentsCsv = formatCsv(SHIPMENT_COLUMNS, shipments);
  const scansCsv = formatCsv(SCAN_COLUMNS, scans);
  writeFileSync(ctx.outs.shipments, shipmentsCsv);
  writeFileSync(ctx.outs.scans, scansCsv);
  const late = shipments.filter((s) => s.delivered_at > s.promised_at).length;
  const latest = scans.reduce((m, s) => (s.scan_at > m ? s.scan_at : m), "");
  ctx.log(`eta snapshot: ${shipments.length} shipments, ${scans.length} scans, late rate ${fixed(late / shipments.length, 3)}`);
  return {
    evidence: {
      cutoff: ctx.params.cutoff,
      latest_event: latest,
      rows: { shipments: shipments.length, scans: scans.length },
      digests: { shipments: shortDigest(shipmentsCsv), scans: shortDigest(scansCsv) },
      summary: { late_rate: round(late / Math.max(1, shipments.length), 6) },
    },
  };
}

type Row = Record<(typeof SHIPMENT_COLUMNS)[number], string>;
type Scan = Record<(typeof SCAN_COLUMNS)[number], string>;

/** The simulation itself, pure: same params, same rows. */
export function simulateEta(params: EtaSnapshotParams): { shipments: Row[]; scans: Scan[] } {
  const rng = rngFor(params.seed, "eta/shipments");
  const cutoffMs = toMs(params.cutoff);
  const feedEnd = cutoffMs - params.feedDelayHours * HOUR_MS;
  const shipments: Row[] = [];
  const scans: Scan[] = [];
  for (let i = 0; i < params.shipments; i++) {
    const lane = rng.pick(LANES);
    const carrier = rng.pick(CARRIERS);
    const weather = rng.weighted([0.55, 0.25, 0.13, 0.07]);
    // Next-day weather on the route: related to today's, and it hits the second day of transit.
    const forecast = Math.min(3, Math.max(0, weather + rng.weighted([0.15, 0.25, 0.35, 0.25]) - 2 + (rng.chance(0.5) ? 1 : 0)));
    // Whole-hour pickups keep timestamps readable; at least 3 days before the cutoff.
    const pickup = cutoffMs - Math.floor(rng.uniform(3 * 24, params.historyDays * 24)) * HOUR_MS;
    const expected = 14 + lane.km / 60;
    const promised = pickup + Math.round(expected * 1.25 + 8) * HOUR_MS;
    const stalled = rng.chance(0.12);
    const stallHours = stalled ? rng.uniform(10, 26) : 0;
    const delay =
      rng.normal(carrier.meanDelay, carrier.sdDelay) +
      weather * lane.weatherHours * rng.uniform(0.4, 1.2) +
      forecast * lane.weatherHours * rng.uniform(0.4, 1.2) +
      stallHours;
    const transit = Math.max(expected * 0.8, expected + delay);
    const delivered = pickup + Math.round(transit * 60) * 60_000;
    const events = scanTimes(rng, pickup, delivered, stallHours);
    // Outcome unknown when the extract ended (the cutoff, or earlier if the feed stalled): not in the snapshot.
    if (delivered >= Math.min(cutoffMs, feedEnd)) continue;
    const id = `S${String(i).padStart(5, "0")}`;
    shipments.push({
      shipment_id: id,
      lane: lane.lane,
      carrier: carrier.carrier,
      distance_km: String(lane.km),
      weather: String(weather),
      forecast: String(forecast),
      pickup_at: isoMinute(pickup),
      promised_at: isoMinute(promised),
      delivered_at: isoMinute(delivered),
    });
    for (const e of events) scans.push({ shipment_id: id, scan_at: isoMinute(e.at), kind: e.kind });
  }
  return { shipments, scans };
}

function scanTimes(rng: ReturnType<typeof rngFor>, pickup: number, delivered: number, stallHours: number): { at: number; kind: string }[] {
  const events = [{ at: pickup, kind: "pickup" }];
  // A stall delays the first hub scan: the signal a model can see early.
  let t = pickup + (rng.uniform(3, 7) + stallHours) * HOUR_MS;
  while (t < delivered - 2 * HOUR_MS) {
    events.push({ at: Math.round(t / 60_000) * 60_000, kind: "hub" });
    t += rng.uniform(5, 11) * HOUR_MS;
  }
  events.push({ at: delivered, kind: "delivered" });
  return events;
}
