/**
 * Fixed-precision numbers for files. Floating point sums can differ in the
 * last bits when code is refactored; rounding what goes into CSV and JSON
 * keeps the bytes stable and the diffs readable.
 */

/** `x` rounded to `digits` decimals, with -0 folded into 0. */
export function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Number(x.toFixed(digits));
  return Object.is(r, -0) ? 0 : r;
}

/** `x` as a string with exactly `digits` decimals (CSV cells). */
export function fixed(x: number, digits: number): string {
  const s = round(x, digits).toFixed(digits);
  return s;
}

/** Rounds every number in a JSON-like value, recursively (model files, reports). */
export function roundDeep<T>(value: T, digits: number): T {
  if (typeof value === "number") return round(value, digits) as T;
  if (Array.isArray(value)) return value.map((v) => roundDeep(v, digits)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundDeep(v, digits);
    return out as T;
  }
  return value;
}

/** Arithmetic mean; 0 for an empty list so empty slices do not poison reports. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation. */
export function stdev(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return xs.length === 0 ? 0 : Math.sqrt(s / xs.length);
}

/** Logistic function, split by sign so large |z| never overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
