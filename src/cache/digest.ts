/**
 * Content addresses. A `Digest` is the xxh64 of the bytes (16 hex digits)
 * followed by the byte length: `9f2c0e41a7b3d5e6-4096`. Carrying the length
 * makes a truncated object visibly different even before it is rehashed.
 */
import { open } from "node:fs/promises";
import xxhash from "xxhash-wasm";

/** A content address, minted only by the functions of this module. */
export type Digest = string & { readonly __brand: "Digest" };

type Hasher = Awaited<ReturnType<typeof xxhash>>;
let hasher: Hasher | undefined;
let loading: Promise<Hasher> | undefined;

/** Loads the wasm hasher; call once before the synchronous functions. */
export async function initDigests(): Promise<void> {
  loading ??= xxhash();
  hasher = await loading;
}

function ready(): Hasher {
  if (!hasher) throw new Error("initDigests() must be awaited before hashing");
  return hasher;
}

function hex(value: bigint): string {
  return value.toString(16).padStart(16, "0");
}

/** Digest of bytes in memory. */
export function digestBytes(bytes: Uint8Array): Digest {
  return `${hex(ready().h64Raw(bytes))}-${bytes.byteLength}` as Digest;
}

/** Digest of a string's UTF-8 bytes (canonical JSON, log text). */
export function digestString(text: string): Digest {
  return digestBytes(Buffer.from(text, "utf8"));
}

/** 16 hex digits of a string's xxh64, for keys that need no length. */
export function hashString(text: string): string {
  return hex(ready().h64Raw(Buffer.from(text, "utf8")));
}

const CHUNK = 1 << 20;

/** Streams a file through xxh64 without holding it in memory. */
export async function digestFile(path: string): Promise<Digest> {
  const stream = ready().create64();
  const handle = await open(path, "r");
  const buffer = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      stream.update(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return `${hex(stream.digest())}-${size}` as Digest;
}

/** True when `text` has the shape of a digest. */
export function isDigest(text: string): text is Digest {
  return /^[0-9a-f]{16}-\d+$/.test(text);
}

/** The byte length a digest records. */
export function digestSize(digest: Digest): number {
  return Number(digest.slice(17));
}
