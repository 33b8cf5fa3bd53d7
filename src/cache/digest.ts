/**
 * Content addresses. A `Digest` is the xxh64 of the bytes (16 hex digits)
 * followed by the byte length: `9f2c0e41a7b3d5e6-4096`. Carrying the length
 * makes a truncated object visibly different even before it is rehashed.
 */
import { readFileSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import xxhash from "xxhash-wasm";
import { hashChunks } from "./chunk-hasher.js";

/** Chunk size of the tree rule; changing it changes digests (and KEY_FORMAT). */
export const CHUNK_BYTES = 8 << 20;

/** A content address, minted only by the functions of this module. */
export type Digest = string & { readonly __brand: "Digest" };

/**
 * The wasm hasher, compiled while this module loads (a top-level await of
 * about 2 ms): whoever imports a digest function can call it at once, and
 * no code path can hash before the hasher exists.
 */
const hasher = await xxhash();

function hex(value: bigint): string {
  return value.toString(16).padStart(16, "0");
}

/** Digest of bytes in memory. */
export function digestBytes(bytes: Uint8Array): Digest {
  if (bytes.byteLength <= CHUNK_BYTES) return `${hex(hasher.h64Raw(bytes))}-${bytes.byteLength}` as Digest;
  const chunks: string[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
    chunks.push(hex(hasher.h64Raw(bytes.subarray(offset, offset + CHUNK_BYTES))));
  }
  return combine(chunks, bytes.byteLength);
}

/** The tree rule's root: xxh64 over the chunk digests as 8-byte big-endian values. */
function combine(chunks: readonly string[], size: number): Digest {
  return `${hex(hasher.h64Raw(Buffer.from(chunks.join(""), "hex")))}-${size}` as Digest;
}

/** Digest of a string's UTF-8 bytes (canonical JSON, log text). */
export function digestString(text: string): Digest {
  return digestBytes(Buffer.from(text, "utf8"));
}

/** 16 hex digits of a string's xxh64, for keys that need no length. */
export function hashString(text: string): string {
  return hasher.h64ToString(text); // the xxh64 of the UTF-8 bytes, encoded straight into the hasher's memory
}

const READ_BLOCK = 1 << 20;

/** Digest of a file: streamed when it fits one chunk, chunks on every core when larger. */
export async function digestFile(path: string): Promise<Digest> {
  // Small files (most outputs): one synchronous read beats a stream of thread-pool round trips.
  const known = statSync(path);
  if (known.isFile() && known.size <= READ_BLOCK) return digestBytes(readFileSync(path));
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > CHUNK_BYTES) {
      await handle.close();
      return combine(await hashChunks({ path, size, chunk: CHUNK_BYTES }), size);
    }
    const stream = hasher.create64();
    const buffer = Buffer.allocUnsafe(READ_BLOCK);
    let read = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BLOCK, null);
      if (bytesRead === 0) break;
      stream.update(bytesRead === READ_BLOCK ? buffer : buffer.subarray(0, bytesRead));
      read += bytesRead;
    }
    return `${hex(stream.digest())}-${read}` as Digest;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** True when `text` has the shape of a digest. */
export function isDigest(text: string): text is Digest {
  return /^[0-9a-f]{16}-\d+$/.test(text);
}

/** The byte length a digest records. */
export function digestSize(digest: Digest): number {
  return Number(digest.slice(17));
}
