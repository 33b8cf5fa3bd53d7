/**
 * The forecast world: warehouses with their own demand level, trend and
 * capacity, a weekly pattern, and promotion peak days that multiply demand.
 */

/** A warehouse. */
export interface Warehouse {
  readonly warehouse: string;
  /** Typical daily orders at the start of the history. */
  readonly base: number;
  /** Orders added per day of history (slow growth). */
  readonly trendPerDay: number;
  /** Orders per day the warehouse can ship; the alert policy compares forecasts with it. */
  readonly capacity: number;
}

/** Warehouses in a fixed order. */
export const WAREHOUSES: readonly Warehouse[] = [
  { warehouse: "W-ATL", base: 420, trendPerDay: 0.3, capacity: 900 },
  { warehouse: "W-DAL", base: 310, trendPerDay: 0.2, capacity: 700 },
  { warehouse: "W-RNO", base: 260, trendPerDay: 0.35, capacity: 650 },
  { warehouse: "W-NJ", base: 520, trendPerDay: 0.15, capacity: 1100 },
];

/** Multiplier per weekday, Monday first: Monday catch-up, quiet Sunday. */
export const WEEKLY = [1.25, 1.1, 1.0, 1.0, 1.05, 0.8, 0.6] as const;

/**
 * Promotion peak days: known in advance (the marketing calendar), so a
 * forecast may use them as a feature. Every 17th day of the history, plus
 * the day after, so peaks land on every weekday over time.
 */
export function isPeakDay(dayIndex: number): boolean {
  return dayIndex % 17 === 0 || dayIndex % 17 === 1;
}

/** How much a peak day multiplies demand. */
export const PEAK_UPLIFT = 1.8;

/** Warehouse names for the schema's enum. */
export const WAREHOUSE_NAMES = WAREHOUSES.map((w) => w.warehouse) as [string, ...string[]];
