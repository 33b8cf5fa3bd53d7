/**
 * Per-column standardisation (zero mean, unit variance), fitted on the
 * training split only and stored in the model file so scoring applies the
 * exact same transform.
 */

/** Fitted column means and scales. */
export interface Standardizer {
  readonly means: number[];
  readonly scales: number[];
}

/** Fits on rows of equal length; constant columns get scale 1 so they stay finite. */
export function fitStandardizer(rows: readonly (readonly number[])[]): Standardizer {
  const d = rows[0]?.length ?? 0;
  const means = new Array<number>(d).fill(0);
  const scales = new Array<number>(d).fill(0);
  for (const row of rows) row.forEach((v, j) => (means[j] = (means[j] ?? 0) + v));
  for (let j = 0; j < d; j++) means[j] = (means[j] ?? 0) / Math.max(1, rows.length);
  for (const row of rows) row.forEach((v, j) => (scales[j] = (scales[j] ?? 0) + (v - (means[j] ?? 0)) ** 2));
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt((scales[j] ?? 0) / Math.max(1, rows.length));
    scales[j] = sd > 1e-12 ? sd : 1;
  }
  return { means, scales };
}

/** Applies a fitted standardiser to rows. */
export function standardize(s: Standardizer, rows: readonly (readonly number[])[]): number[][] {
  return rows.map((row) => row.map((v, j) => (v - (s.means[j] ?? 0)) / (s.scales[j] ?? 1)));
}
