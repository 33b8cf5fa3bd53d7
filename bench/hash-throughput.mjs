// Hashing at memory speed: how fast sluice digests a 1 GiB file compared
// with plainly reading it, in the same run, from the page cache.
//
//   node bench/hash-throughput.mjs [--reps 7] [--file bench/work/big-input.bin]
//
// "Plain read" is one thread reading the file front to back in 8 MiB blocks
// and discarding them: the ceiling of any single-pass consumer. sluice's
// digest hashes 8 MiB chunks on every core (src/cache/chunk-hasher.ts) and
// combines the chunk digests. Repetitions alternate between the two so load
// drift hits both alike; the file is read once first so both start warm.
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "7" },
    file: { type: "string", default: join(REPO, "bench", "work", "big-input.bin") },
  },
});
const reps = Number(values.reps);
const file = values.file;
const GiB = 1 << 30;
const BLOCK = 8 << 20;

if (!existsSync(file) || statSync(file).size !== GiB) writeBigFile(file);
const { digestFile } = await import(join(REPO, "dist", "src", "cache", "digest.js"));

plainRead(file); // warm the page cache
await digestFile(file); // start the hashing threads
const reads = [];
const hashes = [];
for (let i = 0; i < reps; i++) {
  reads.push(time(() => plainRead(file)));
  const start = performance.now();
  await digestFile(file);
  hashes.push(performance.now() - start);
}
const readMs = median(reads);
const hashMs = median(hashes);
const rate = (ms) => (GiB / (1 << 20) / (ms / 1000)).toFixed(0);
console.log(`1 GiB, ${reps} repetitions each, medians:`);
console.log(`  plain read (1 thread, 8 MiB blocks)  ${readMs.toFixed(0)} ms  ${rate(readMs)} MiB/s`);
console.log(`  sluice digest (chunks on all cores)   ${hashMs.toFixed(0)} ms  ${rate(hashMs)} MiB/s`);
console.log(`  hashing / plain read throughput       ${(readMs / hashMs).toFixed(2)}x`);

function plainRead(path) {
  const fd = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(BLOCK);
  try {
    while (readSync(fd, buffer, 0, BLOCK, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** 1 GiB of varied bytes (a repeated pattern would be as fast to hash, but a sparse file would not be read). */
function writeBigFile(path) {
  mkdirSync(dirname(path), { recursive: true });
  const block = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
  const fd = openSync(path, "w");
  for (let written = 0; written < GiB; written += BLOCK) writeFileSync(fd, block);
  closeSync(fd);
}
