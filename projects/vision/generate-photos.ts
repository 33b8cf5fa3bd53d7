/**
 * `vision:snapshot`: synthetic return photos grouped by shipment. A brown
 * parcel on the source's background; damaged parcels carry a dark crease or
 * a torn corner; some photos are shot in low light or blurred. Photos of one
 * shipment share its damage, which is why splits must be by shipment.
 */
import { writeFileSync } from "node:fs";
import { formatCsv } from "../../stages/lib/csv.js";
import { HOUR_MS, isoMinute, toMs } from "../../stages/lib/dates.js";
import { shortDigest } from "../../stages/lib/digest.js";
import { round } from "../../stages/lib/numbers.js";
import { rngFor, type Rng } from "../../stages/lib/rng.js";
import type { SnapshotEvidence } from "../../stages/lib/schemas.js";
import type { StageContextOf } from "sluice";
import type { VisionStages } from "./pipeline.js";
import { encodeSheet, TILE, type Photo } from "./photo-sheet.js";
import { PHOTO_COLUMNS } from "./schema.js";
import { SOURCES, type Source } from "./sources.js";

/** Params of `vision:snapshot`. */
export type PhotoSnapshotParams = StageContextOf<VisionStages["snapshot"]>["params"];

/** Writes `photos.csv` and the `photos.ppm` contact sheet. */
export function generatePhotos(ctx: StageContextOf<VisionStages["snapshot"]>): { evidence: SnapshotEvidence } {
  const { rows, photos } = simulatePhotos(ctx.params);
  const csv = formatCsv(PHOTO_COLUMNS, rows);
  const sheet = encodeSheet(photos);
  writeFileSync(ctx.outs.manifest, csv);
  writeFileSync(ctx.outs.sheet, sheet);
  const damaged = rows.filter((r) => r.damaged === "1").length;
  ctx.log(`vision snapshot: ${rows.length} photos of ${ctx.params.shipments} shipments`);
  return {
    evidence: {
      cutoff: ctx.params.cutoff,
      latest_event: rows.reduce((m, r) => (r.captured_at > m ? r.captured_at : m), ""),
      rows: { photos: rows.length },
      digests: { manifest: shortDigest(csv), sheet: shortDigest(sheet) },
      summary: { damaged_share: round(damaged / Math.max(1, rows.length), 6) },
    },
  };
}

type PhotoRowCells = Record<(typeof PHOTO_COLUMNS)[number], string>;

/** Pure simulation: manifest rows and photos in tile order. */
export function simulatePhotos(params: PhotoSnapshotParams): { rows: PhotoRowCells[]; photos: Photo[] } {
  const rng = rngFor(params.seed, "vision/photos");
  const cutoffMs = toMs(params.cutoff);
  const rows: PhotoRowCells[] = [];
  const photos: Photo[] = [];
  for (let s = 0; s < params.shipments; s++) {
    const shipment = `SH${String(s).padStart(4, "0")}`;
    const source = SOURCES[rng.weighted(SOURCES.map((x) => x.weight))] as Source;
    const damaged = rng.chance(params.damageRate);
    const capturedAt = cutoffMs - Math.floor(rng.uniform(2, params.historyDays * 24)) * HOUR_MS;
    const count = 1 + rng.int(3);
    for (let k = 0; k < count; k++) {
      rows.push({
        photo_id: `P${String(photos.length).padStart(5, "0")}`,
        shipment_id: shipment,
        source: source.source,
        captured_at: isoMinute(capturedAt + k * 60_000),
        damaged: damaged ? "1" : "0",
        tile: String(photos.length),
      });
      photos.push(renderParcel(rng, source, damaged));
    }
  }
  return { rows, photos };
}

/** Draws one 16x16 parcel photo. */
export function renderParcel(rng: Rng, source: Source, damaged: boolean): Photo {
  const img = new Float64Array(TILE * TILE * 3);
  const set = (x: number, y: number, rgb: readonly number[]): void => {
    if (x < 0 || y < 0 || x >= TILE || y >= TILE) return;
    for (let c = 0; c < 3; c++) img[(y * TILE + x) * 3 + c] = rgb[c] ?? 0;
  };
  for (let y = 0; y < TILE; y++) for (let x = 0; x < TILE; x++) set(x, y, source.background);
  const x0 = 2 + rng.int(4), y0 = 2 + rng.int(4), w = 7 + rng.int(4), h = 7 + rng.int(4);
  const tint = rng.uniform(-15, 15);
  const box = [150 + tint, 110 + tint, 70 + tint / 2];
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, box);
  // Tape across the top: every parcel has some dark-ish structure, so damage is not just "any dark pixel".
  for (let x = x0; x < x0 + w; x++) set(x, y0 + 1, [185, 160, 120]);
  if (damaged) {
    const dark = [55, 40, 30];
    if (rng.chance(0.5)) {
      // A diagonal crease.
      const len = 4 + rng.int(4), sx = x0 + 1 + rng.int(3), sy = y0 + 2 + rng.int(3), dir = rng.chance(0.5) ? 1 : -1;
      for (let i = 0; i < len; i++) set(sx + i, sy + (dir > 0 ? i : len - i), dark);
    } else {
      // A torn corner.
      const cx = rng.chance(0.5) ? x0 : x0 + w - 3, cy = rng.chance(0.5) ? y0 + 2 : y0 + h - 3;
      for (let y = cy; y < cy + 3; y++) for (let x = cx; x < cx + 3; x++) if (rng.chance(0.75)) set(x, y, dark);
    }
  }
  let out: Float64Array = img;
  if (rng.chance(source.blurRate)) out = boxBlur(out);
  const light = rng.chance(source.lowLightRate) ? rng.uniform(0.15, 0.3) : rng.uniform(0.85, 1.1);
  const photo = new Uint8Array(TILE * TILE * 3);
  for (let i = 0; i < photo.length; i++) photo[i] = Math.max(0, Math.min(255, Math.round((out[i] ?? 0) * light + rng.normal(0, source.noise))));
  return photo;
}

function boxBlur(img: Float64Array): Float64Array {
  const out = new Float64Array(img.length);
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0, n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx, yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= TILE || yy >= TILE) continue;
            s += img[(yy * TILE + xx) * 3 + c] ?? 0;
            n++;
          }
        }
        out[(y * TILE + x) * 3 + c] = s / n;
      }
    }
  }
  return out;
}
