/** How the report writes numbers, scalars and digests. */
import { formatBytes, formatDuration } from "../../report/index.js";

export { formatBytes, formatDuration };

/** A figure with at most four significant decimals, without trailing zeros. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 3 : 4;
  return String(Number(value.toFixed(digits)));
}

/** A gate value or threshold: numbers as figures, anything else as JSON, null as a dash. */
export function formatScalar(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** ISO time as `2026-06-01 12:00:05Z`, which sorts and reads well in a table. */
export function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}Z` : iso;
}
