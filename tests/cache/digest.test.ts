import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES, digestBytes, digestFile } from "../../src/cache/digest.js";

const dir = mkdtempSync(join(tmpdir(), "sluice-digest-"));

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe("digests", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes as soon as the package is imported, with no setup call first", () => {
    // A stage function hashing a registry line through `sluice/registry`, in a process of its own.
    const registry = new URL("../../dist/bundle/registry.js", import.meta.url).href;
    const script = `const { lineDigest } = await import(${JSON.stringify(registry)}); process.stdout.write(lineDigest("{}"));`;
    const printed = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(printed).toBe(digestBytes(Buffer.from("{}")));
  });

  it.each([0, 1, 4096, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 12345])(
    "gives the same digest for a file and for its bytes in memory (%i bytes)",
    async (size) => {
      const bytes = pattern(size, size + 7);
      const file = join(dir, `f-${size}`);
      writeFileSync(file, bytes);
      const fromFile = await digestFile(file);
      expect(fromFile).toBe(digestBytes(bytes));
      expect(fromFile.endsWith(`-${size}`)).toBe(true);
    },
  );

  it("changes when one byte of a chunked file changes, in any chunk", async () => {
    const bytes = pattern(2 * CHUNK_BYTES + 100, 3);
    const base = digestBytes(bytes);
    for (const offset of [0, CHUNK_BYTES, 2 * CHUNK_BYTES + 99]) {
      const flipped = Buffer.from(bytes);
      flipped[offset] = (flipped[offset] as number) ^ 1;
      const file = join(dir, `flip-${offset}`);
      writeFileSync(file, flipped);
      expect(await digestFile(file)).not.toBe(base);
    }
  });
});
