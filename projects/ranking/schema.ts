/**
 * Row contracts of the ranking snapshot (listings, judged queries, graded
 * judgments) and of the `ranking_features_v1/v2` table. CSV cells arrive as
 * strings, so the schemas coerce and then check ranges and enums.
 */
import { z } from "zod";
import { BRAND_NAMES, CATEGORY_NAMES, INTENTS, STYLES } from "./catalog.js";

// The regex fixes the shape; the parse rejects shapes that name no real time (month 13, hour 99).
const isoMinute = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/, "expected YYYY-MM-DDTHH:MMZ")
  .refine((s) => Number.isFinite(Date.parse(s)), "not a real date and time");
const flag = z.enum(["0", "1"]);
const listingId = z.string().regex(/^L\d{4}$/);
const queryId = z.string().regex(/^Q\d{4}$/);

/** Column order of `listings.csv`. */
export const LISTING_COLUMNS = ["listing_id", "title", "category", "brand", "style", "price", "rating", "reviews", "listed_at", "blocked"] as const;

/** One catalog listing; `blocked` listings (trust & safety) must never be shown. */
export const ListingRow = z.object({
  listing_id: listingId,
  title: z.string().min(1),
  category: z.enum(CATEGORY_NAMES),
  brand: z.enum(BRAND_NAMES),
  style: z.enum(STYLES),
  price: z.coerce.number().positive().max(10_000),
  rating: z.coerce.number().min(1).max(5),
  reviews: z.coerce.number().int().nonnegative(),
  listed_at: isoMinute,
  blocked: flag,
});

/** Column order of `queries.csv`. */
export const QUERY_COLUMNS = ["query_id", "text", "category", "brand", "style", "intent", "asked_at"] as const;

/** One judged query, with what query understanding extracted from its text. */
export const QueryRow = z.object({
  query_id: queryId,
  text: z.string().min(1),
  category: z.enum(CATEGORY_NAMES),
  brand: z.union([z.enum(BRAND_NAMES), z.literal("")]),
  style: z.union([z.enum(STYLES), z.literal("")]),
  intent: z.enum(INTENTS),
  asked_at: isoMinute,
});

/** Column order of `judgments.csv`: every retrieved candidate of a query, judged. */
export const JUDGMENT_COLUMNS = ["query_id", "listing_id", "relevance"] as const;

/** One graded judgment: 0 irrelevant .. 3 perfect. */
export const JudgmentRow = z.object({
  query_id: queryId,
  listing_id: listingId,
  relevance: z.coerce.number().int().min(0).max(3),
});

/** Feature versions this code can build. */
export type RankingFeatureVersion = "ranking_features_v1" | "ranking_features_v2";

/** Model inputs of `ranking_features_v1`, in model order. */
export const RANKING_FEATURES_V1 = [
  "text_match", "same_category", "brand_match", "style_match", "log_price_ratio", "abs_log_price_ratio", "rating", "log_reviews", "age_months",
] as const;

/** `ranking_features_v2` adds price-intent interactions: a cheap query wants a low price, a premium one a top rating. */
export const RANKING_FEATURES_V2 = [...RANKING_FEATURES_V1, "cheap_x_price", "premium_x_rating"] as const;

/** Model inputs of a feature version. */
export function rankingFeatures(version: RankingFeatureVersion): readonly string[] {
  return version === "ranking_features_v2" ? RANKING_FEATURES_V2 : RANKING_FEATURES_V1;
}

const ID_COLUMNS = ["query_id", "listing_id", "split", "category", "intent", "brand", "blocked", "price", "retrieval_rank", "as_of", "source_max_at"] as const;

/** Column order of `features.csv` (ids, model inputs, label). */
export function rankingFeatureColumns(version: RankingFeatureVersion): readonly string[] {
  return [...ID_COLUMNS, ...rankingFeatures(version), "relevance"];
}

/** The feature version a header describes. */
export function rankingVersionOf(columns: readonly string[]): RankingFeatureVersion {
  return columns.includes("cheap_x_price") ? "ranking_features_v2" : "ranking_features_v1";
}

/** One feature row as validated (ids and label; model inputs are checked as finite numbers). */
export const RankingFeatureRow = z.object({
  query_id: queryId,
  listing_id: listingId,
  split: z.enum(["train", "valid", "test"]),
  category: z.enum(CATEGORY_NAMES),
  intent: z.enum(INTENTS),
  brand: z.enum(BRAND_NAMES),
  blocked: flag,
  price: z.coerce.number().positive(),
  retrieval_rank: z.coerce.number().int().positive(),
  as_of: isoMinute,
  source_max_at: isoMinute,
  text_match: z.coerce.number().min(0).max(1),
  rating: z.coerce.number().min(1).max(5),
  relevance: z.coerce.number().int().min(0).max(3),
});

/** {@link RankingFeatureRow} plus every model input of `version` as a finite number. */
export function rankingFeatureRowSchema(version: RankingFeatureVersion): z.ZodType {
  return RankingFeatureRow.extend(Object.fromEntries(rankingFeatures(version).filter((f) => f !== "text_match" && f !== "rating").map((f) => [f, z.coerce.number()])));
}
