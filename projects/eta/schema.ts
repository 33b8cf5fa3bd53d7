/**
 * Row contracts of the ETA snapshot and feature table. CSV cells arrive as
 * strings, so the schemas coerce and then check ranges and enums; a row that
 * fails is quoted in the `schema_valid` gate's evidence.
 */
import { z } from "zod";
import { CARRIER_NAMES, LANE_NAMES } from "./lanes.js";

// The regex fixes the shape; the parse rejects shapes that name no real time (month 13, hour 99).
const isoMinute = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/, "expected YYYY-MM-DDTHH:MMZ")
  .refine((s) => Number.isFinite(Date.parse(s)), "not a real date and time");
const flag = z.enum(["0", "1"]);

/** Column order of `shipments.csv`. */
export const SHIPMENT_COLUMNS = ["shipment_id", "lane", "carrier", "distance_km", "weather", "forecast", "pickup_at", "promised_at", "delivered_at"] as const;

/** One shipment with its outcome (delivered before the cutoff). */
export const ShipmentRow = z
  .object({
    shipment_id: z.string().regex(/^S\d{5}$/),
    lane: z.enum(LANE_NAMES),
    carrier: z.enum(CARRIER_NAMES),
    distance_km: z.coerce.number().positive().max(5000),
    weather: z.coerce.number().int().min(0).max(3),
    forecast: z.coerce.number().int().min(0).max(3),
    pickup_at: isoMinute,
    promised_at: isoMinute,
    delivered_at: isoMinute,
  })
  .refine((r) => r.delivered_at >= r.pickup_at && r.promised_at > r.pickup_at, { message: "delivery and promise must come after pickup" });

/** Column order of `scans.csv`. */
export const SCAN_COLUMNS = ["shipment_id", "scan_at", "kind"] as const;

/** One carrier scan event. */
export const ScanRow = z.object({
  shipment_id: z.string().regex(/^S\d{5}$/),
  scan_at: isoMinute,
  kind: z.enum(["pickup", "hub", "delivered"]),
});

/** Feature versions this code can build. */
export type EtaFeatureVersion = "eta_features_v1" | "eta_features_v2";

/** The numeric model inputs of `eta_features_v1`, in model order. */
export const MODEL_FEATURES_V1 = [
  "distance", "carrier_swift", "carrier_parcelco", "weather", "critical", "weather_critical",
  "scans_so_far", "max_gap_h", "hours_since_scan", "slack_h",
] as const;

/** `eta_features_v2` adds the next-day route weather forecast. */
export const MODEL_FEATURES_V2 = [...MODEL_FEATURES_V1, "forecast", "forecast_critical"] as const;

/** Model inputs of a feature version. */
export function modelFeatures(version: EtaFeatureVersion): readonly string[] {
  return version === "eta_features_v2" ? MODEL_FEATURES_V2 : MODEL_FEATURES_V1;
}

const ID_COLUMNS = ["shipment_id", "split", "lane", "carrier", "as_of", "source_max_at"] as const;

/** Column order of `features.csv` for a feature version (ids, model inputs, label). */
export function featureColumns(version: EtaFeatureVersion): readonly string[] {
  return [...ID_COLUMNS, ...modelFeatures(version), "late"];
}

/** The feature version a table header describes. */
export function versionOfColumns(columns: readonly string[]): EtaFeatureVersion {
  return columns.includes("forecast") ? "eta_features_v2" : "eta_features_v1";
}

/** One feature row as read back for training and validation. */
export const FeatureRow = z.object({
  shipment_id: z.string().regex(/^S\d{5}$/),
  split: z.enum(["train", "valid", "test"]),
  lane: z.enum(LANE_NAMES),
  carrier: z.enum(CARRIER_NAMES),
  critical: flag,
  as_of: isoMinute,
  source_max_at: isoMinute,
  late: flag,
});
