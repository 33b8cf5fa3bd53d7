/**
 * Row contracts of the forecast snapshot and of `demand_lags_v1/v2` feature
 * rows.
 */
import { z } from "zod";
import { WAREHOUSE_NAMES } from "./warehouses.js";

// The regex fixes the shape; the parse rejects shapes that name no real day (month 13).
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .refine((s) => Number.isFinite(Date.parse(`${s}T00:00:00Z`)), "not a real date");

/** Column order of `counts.csv`. */
export const COUNT_COLUMNS = ["date", "warehouse", "orders", "peak"] as const;

/** One warehouse-day of orders. */
export const CountRow = z.object({
  date: day,
  warehouse: z.enum(WAREHOUSE_NAMES),
  orders: z.coerce.number().int().nonnegative().max(100_000),
  peak: z.enum(["0", "1"]),
});

/** Feature versions. v2 adds peak x level interactions (peaks multiply demand). */
export type ForecastFeatureVersion = "demand_lags_v1" | "demand_lags_v2";

const V1 = ["lag7", "lag14", "lag28", "mean7_lag7", "dow_mon", "dow_tue", "dow_wed", "dow_thu", "dow_fri", "dow_sat", "peak", "trend"] as const;
const V2 = [...V1, "peak_x_lag7", "peak_x_mean7"] as const;

/** Model inputs of a feature version, in model order. */
export function forecastFeatures(version: ForecastFeatureVersion): readonly string[] {
  return version === "demand_lags_v2" ? V2 : V1;
}

const ID_COLUMNS = ["date", "warehouse", "split", "as_of", "source_max_date"] as const;

/** Column order of `features.csv`. */
export function forecastFeatureColumns(version: ForecastFeatureVersion): readonly string[] {
  return [...ID_COLUMNS, ...forecastFeatures(version), "orders"];
}

/** The feature version a header describes. */
export function forecastVersionOf(columns: readonly string[]): ForecastFeatureVersion {
  return columns.includes("peak_x_lag7") ? "demand_lags_v2" : "demand_lags_v1";
}

/** One feature row as validated. */
export const ForecastFeatureRow = z.object({
  date: day,
  warehouse: z.enum(WAREHOUSE_NAMES),
  split: z.enum(["train", "valid", "test"]),
  as_of: day,
  source_max_date: day,
  orders: z.coerce.number().nonnegative(),
});
