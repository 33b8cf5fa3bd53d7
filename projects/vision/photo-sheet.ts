/**
 * Parcel photos are stored as one binary PPM contact sheet (16x16 RGB tiles,
 * 20 per row): any image viewer opens it, so a reviewer can look at the data
 * the model saw, and it is one file to hash instead of hundreds.
 */
import { readFileSync } from "node:fs";

/** Tile edge in pixels. */
export const TILE = 16;
/** Tiles per sheet row. */
export const SHEET_COLUMNS = 20;

/** One photo: TILE*TILE*3 bytes, row-major RGB. */
export type Photo = Uint8Array;

/** Encodes photos as a binary PPM (P6) contact sheet; unused tiles stay black. */
export function encodeSheet(photos: readonly Photo[]): Uint8Array {
  const rows = Math.max(1, Math.ceil(photos.length / SHEET_COLUMNS));
  const width = SHEET_COLUMNS * TILE, height = rows * TILE;
  const header = new TextEncoder().encode(`P6\n${width} ${height}\n255\n`);
  const body = new Uint8Array(width * height * 3);
  photos.forEach((photo, i) => {
    const ox = (i % SHEET_COLUMNS) * TILE, oy = Math.floor(i / SHEET_COLUMNS) * TILE;
    for (let y = 0; y < TILE; y++) body.set(photo.subarray(y * TILE * 3, (y + 1) * TILE * 3), ((oy + y) * width + ox) * 3);
  });
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** Decodes `count` tiles from a sheet written by {@link encodeSheet}. */
export function decodeSheet(bytes: Uint8Array, count: number): Photo[] {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, 32));
  const match = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(text);
  if (!match) throw new Error("photo sheet is not a binary PPM (P6, maxval 255)");
  const width = Number(match[1]);
  const body = bytes.subarray(match[0].length);
  const photos: Photo[] = [];
  for (let i = 0; i < count; i++) {
    const ox = (i % SHEET_COLUMNS) * TILE, oy = Math.floor(i / SHEET_COLUMNS) * TILE;
    const photo = new Uint8Array(TILE * TILE * 3);
    for (let y = 0; y < TILE; y++) photo.set(body.subarray(((oy + y) * width + ox) * 3, ((oy + y) * width + ox + TILE) * 3), y * TILE * 3);
    photos.push(photo);
  }
  return photos;
}

/** Reads a sheet file. */
export function readSheet(path: string, count: number): Photo[] {
  return decodeSheet(new Uint8Array(readFileSync(path)), count);
}

/** Mean luminance (0..255). */
export function brightness(photo: Photo): number {
  let s = 0;
  for (let i = 0; i < photo.length; i += 3) s += luma(photo, i);
  return s / (photo.length / 3);
}

/** Mean absolute 4-neighbour Laplacian of luminance over interior pixels: low for blurred photos. */
export function sharpness(photo: Photo): number {
  let s = 0, n = 0;
  for (let y = 1; y < TILE - 1; y++) {
    for (let x = 1; x < TILE - 1; x++) {
      const c = luma(photo, (y * TILE + x) * 3);
      const lap = 4 * c - luma(photo, (y * TILE + x - 1) * 3) - luma(photo, (y * TILE + x + 1) * 3) - luma(photo, ((y - 1) * TILE + x) * 3) - luma(photo, ((y + 1) * TILE + x) * 3);
      s += Math.abs(lap);
      n++;
    }
  }
  return s / n;
}

function luma(photo: Photo, i: number): number {
  return 0.299 * (photo[i] ?? 0) + 0.587 * (photo[i + 1] ?? 0) + 0.114 * (photo[i + 2] ?? 0);
}
