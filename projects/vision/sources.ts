/**
 * Where return photos come from: each source camera has its own background,
 * noise and failure modes (phones shoot in the dark, dock cameras blur).
 */

/** A photo source. */
export interface Source {
  readonly source: string;
  /** Share of photos from this source. */
  readonly weight: number;
  readonly background: readonly [number, number, number];
  readonly noise: number;
  readonly lowLightRate: number;
  readonly blurRate: number;
}

/** Sources in a fixed order. */
export const SOURCES: readonly Source[] = [
  { source: "dock_cam", weight: 0.45, background: [105, 108, 112], noise: 8, lowLightRate: 0.03, blurRate: 0.1 },
  { source: "driver_phone", weight: 0.35, background: [90, 120, 80], noise: 16, lowLightRate: 0.1, blurRate: 0.05 },
  { source: "return_kiosk", weight: 0.2, background: [200, 198, 190], noise: 5, lowLightRate: 0.0, blurRate: 0.02 },
];

/** Source names for the schema's enum. */
export const SOURCE_NAMES = SOURCES.map((s) => s.source) as [string, ...string[]];
