/**
 * The run record as stored on the remote (`<url>/ac/<sha256 of stage key>`).
 *
 * Locally objects are named by xxh64; on the wire they are named by SHA-256,
 * the hash bazel-remote checks uploads against. The envelope carries the
 * local record unchanged plus the map between the two names, so a reader
 * can fetch by SHA-256 and still verify by the digest its record names.
 *
 * With a signing key, the envelope carries an HMAC-SHA256 over the canonical
 * JSON of `{ record, objects }`: a writer without the key cannot make a
 * reader trust a record, even one whose objects hash correctly.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "../../util/canonical-json.js";
import { isDigest, type Digest } from "../digest.js";
import type { RunRecord } from "../run-record.js";
import type { StageKey } from "../stage-key.js";

/** Bumped when the envelope changes shape; other formats are misses. */
export const WIRE_FORMAT = "sluice-remote-record/1";

export interface WireRecord {
  readonly format: typeof WIRE_FORMAT;
  readonly record: RunRecord;
  /** Local digest (xxh64-length) -> SHA-256 hex of the same bytes. */
  readonly objects: Readonly<Record<string, string>>;
  /** HMAC-SHA256 hex of `{ record, objects }`, present when the writer had a key. */
  readonly signature?: string;
}

/** Why a downloaded record was not used. */
export type WireProblem =
  | { readonly reason: "malformed-record"; readonly detail: string }
  | { readonly reason: "unsigned-record" }
  | { readonly reason: "bad-signature" };

/** SHA-256 hex of bytes or of a string's UTF-8. */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The remote name of a stage key's record. */
export function actionPath(key: StageKey): string {
  return `ac/${sha256(key)}`;
}

/** The remote name of an object. */
export function casPath(sha: string): string {
  return `cas/${sha}`;
}

export function encodeWireRecord(record: RunRecord, objects: Readonly<Record<string, string>>, signingKey: string | undefined): Uint8Array {
  const body = { record, objects };
  const envelope: WireRecord = signingKey
    ? { format: WIRE_FORMAT, ...body, signature: sign(body, signingKey) }
    : { format: WIRE_FORMAT, ...body };
  return Buffer.from(JSON.stringify(envelope), "utf8");
}

/**
 * Parses and checks an envelope for `key`. With a signing key, only a record
 * signed with that key is accepted; without one, a signature is not checked.
 */
export function decodeWireRecord(
  bytes: Uint8Array,
  key: StageKey,
  signingKey: string | undefined,
): { ok: true; value: WireRecord } | { ok: false; problem: WireProblem } {
  const malformed = (detail: string) => ({ ok: false as const, problem: { reason: "malformed-record" as const, detail } });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return malformed("not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null) return malformed("not an object");
  const wire = parsed as Partial<WireRecord>;
  if (wire.format !== WIRE_FORMAT) return malformed(`unknown format ${JSON.stringify(wire.format)}`);
  const record = wire.record;
  if (typeof record !== "object" || record === null || record.version !== 1) return malformed("no version-1 run record");
  if (record.key !== key) return malformed(`names key ${String(record.key)}, not ${key}`);
  if (typeof record.outs !== "object" || record.outs === null || !isDigest(String(record.log))) return malformed("bad outputs or log");
  if (typeof wire.objects !== "object" || wire.objects === null) return malformed("no object map");
  for (const [digest, sha] of Object.entries(wire.objects)) {
    if (!isDigest(digest) || typeof sha !== "string" || !/^[0-9a-f]{64}$/.test(sha)) return malformed(`bad object entry ${digest}`);
  }
  if (signingKey !== undefined) {
    if (typeof wire.signature !== "string") return { ok: false, problem: { reason: "unsigned-record" } };
    if (!sameHex(wire.signature, sign({ record, objects: wire.objects }, signingKey))) return { ok: false, problem: { reason: "bad-signature" } };
  }
  return { ok: true, value: wire as WireRecord };
}

/** The SHA-256 a record's envelope maps `digest` to. */
export function shaOf(wire: WireRecord, digest: Digest): string | undefined {
  return wire.objects[digest];
}

function sign(body: { record: RunRecord; objects: Readonly<Record<string, string>> }, signingKey: string): string {
  // Canonical JSON: the signature must not depend on key order after a round trip.
  return createHmac("sha256", signingKey).update(canonicalJson(body)).digest("hex");
}

/** Constant-time comparison, so a forger learns nothing from timing. */
function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
