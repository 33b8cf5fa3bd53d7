/**
 * Digests that go into gate evidence. sha256 from node:crypto: evidence only
 * needs a stable fingerprint of the bytes a gate looked at, and the engine's
 * own xxh64 digests stay the engine's business.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** `sha256:<first 16 hex>` of bytes or a string. */
export function shortDigest(data: string | Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex").slice(0, 16)}`;
}

/** {@link shortDigest} of a file's bytes. */
export function fileDigest(path: string): string {
  return shortDigest(readFileSync(path));
}
