/**
 * Shared leaf schemas of the contracts: JSON values, digests, names.
 * Kept apart so every contract spells a digest the same way and the
 * generated JSON Schemas name them once in `$defs`.
 */
import { z } from "zod";

/** Any JSON value (evidence, free-form criteria). */
export const JsonValue = z.json().meta({ id: "JsonValue", description: "any JSON value" });

/**
 * A content address as `src/cache/digest.ts` mints it: 16 hex digits of
 * xxh64, a dash, the byte length. Repeated here (not imported) so the
 * contracts stay importable without the engine.
 */
export const DigestString = z
  .string()
  .regex(/^[0-9a-f]{16}-\d+$/, "a digest is <16 hex xxh64>-<byte length>")
  .meta({ id: "Digest", description: "xxh64 of the bytes (16 hex digits), a dash, the byte length" });

/** Names of projects, gates, metrics and roles: one path segment, no spaces. */
export const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, _ . - (starting with a letter or digit)");

/** Release names are `<project>_v<N>`, minted only by the registry. */
export const ReleaseName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*_v[1-9][0-9]*$/, "a release name is <project>_v<N>")
  .meta({ id: "ReleaseName" });

/** Alias names (`canary`, `production`). */
export const AliasName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, "an alias is lower-case letters, digits, _ -")
  .meta({ id: "AliasName" });

/** An ISO-8601 UTC timestamp. */
export const Timestamp = z.iso.datetime().meta({ id: "Timestamp" });
