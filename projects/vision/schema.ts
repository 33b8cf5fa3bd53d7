/**
 * Row contracts of the vision snapshot manifest and the `parcel_rgb_v1`
 * feature table.
 */
import { z } from "zod";
import { SOURCE_NAMES } from "./sources.js";

// The regex fixes the shape; the parse rejects shapes that name no real time (month 13, hour 99).
const isoMinute = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/, "expected YYYY-MM-DDTHH:MMZ")
  .refine((s) => Number.isFinite(Date.parse(s)), "not a real date and time");

/** Column order of `photos.csv` (tile = position in the contact sheet). */
export const PHOTO_COLUMNS = ["photo_id", "shipment_id", "source", "captured_at", "damaged", "tile"] as const;

/** One photo of the manifest. */
export const PhotoRow = z.object({
  photo_id: z.string().regex(/^P\d{5}$/),
  shipment_id: z.string().regex(/^SH\d{4}$/),
  source: z.enum(SOURCE_NAMES),
  captured_at: isoMinute,
  damaged: z.enum(["0", "1"]),
  tile: z.coerce.number().int().nonnegative(),
});

/** Column order of `features.csv`. */
export const PHOTO_FEATURE_COLUMNS = ["photo_id", "shipment_id", "source", "split", "captured_at", "brightness", "sharpness", "usable", "damaged"] as const;

/** One feature row. */
export const PhotoFeatureRow = z.object({
  photo_id: z.string().regex(/^P\d{5}$/),
  shipment_id: z.string().regex(/^SH\d{4}$/),
  source: z.enum(SOURCE_NAMES),
  split: z.enum(["train", "valid", "test"]),
  captured_at: isoMinute,
  brightness: z.coerce.number().min(0).max(255),
  sharpness: z.coerce.number().nonnegative(),
  usable: z.enum(["0", "1"]),
  damaged: z.enum(["0", "1"]),
});

/** The feature version: per-channel standardised 16x16 RGB pixels. */
export const PHOTO_FEATURE_VERSION = "parcel_rgb_v1";
