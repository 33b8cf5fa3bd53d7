/**
 * Hashing big files on every core. A file larger than one chunk is hashed
 * as fixed-size chunks in worker threads, each reading its own byte ranges,
 * and the chunk digests are combined in order (see `digest.ts`). One thread
 * of xxhash-wasm streams at about half the speed the disk cache reads, so
 * spreading chunks across cores is what lets hashing keep up with reading.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** A file to hash in chunks of `chunk` bytes. */
export type ChunkJob = { readonly path: string; readonly size: number; readonly chunk: number };

const WORKER_CODE = `
const BLOCK = ${1024 << 10};
const { parentPort } = require("node:worker_threads");
const { openSync, readSync, closeSync } = require("node:fs");
let hasher;
parentPort.on("message", async ({ id, path, chunk, indices, wasm }) => {
  try {
    hasher ??= await (await import(wasm)).default();
    const fd = openSync(path, "r");
    // Each chunk is read and hashed in 1 MiB blocks: a block is still in the
    // CPU cache when it is hashed, so memory bandwidth (the limit on two cores)
    // is spent about once per byte rather than once per copy. Reading whole
    // 8 MiB chunks first made hashing 0.6x the plain-read throughput; 1 MiB
    // blocks give 0.83-0.94x (bench/hash-throughput.mjs).
    const buffer = Buffer.allocUnsafe(BLOCK);
    const out = [];
    for (const index of indices) {
      const stream = hasher.create64();
      const start = index * chunk;
      for (let done = 0; done < chunk; ) {
        const n = readSync(fd, buffer, 0, Math.min(BLOCK, chunk - done), start + done);
        if (n === 0) break;
        stream.update(n === BLOCK ? buffer : buffer.subarray(0, n));
        done += n;
      }
      out.push([index, stream.digest().toString(16).padStart(16, "0")]);
    }
    closeSync(fd);
    parentPort.postMessage({ id, out });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

let workers: Worker[] | undefined;
let nextId = 0;

function pool(): Worker[] {
  if (!workers) {
    workers = Array.from({ length: Math.max(1, availableParallelism()) }, () => {
      const worker = new Worker(WORKER_CODE, { eval: true });
      worker.unref(); // idle hashers never keep the process alive
      return worker;
    });
  }
  return workers;
}

/** Hashes the chunks of a file across the worker pool; returns their digests in order. */
export async function hashChunks(job: ChunkJob): Promise<string[]> {
  const count = Math.ceil(job.size / job.chunk);
  const threads = pool();
  const wasm = import.meta.resolve("xxhash-wasm");
  const digests = new Array<string>(count);
  await Promise.all(
    threads.map((worker, t) => {
      // Interleaved assignment keeps every thread busy until the end of the file.
      const indices: number[] = [];
      for (let i = t; i < count; i += threads.length) indices.push(i);
      if (indices.length === 0) return Promise.resolve();
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        const onMessage = (message: { id: number; out?: [number, string][]; error?: string }) => {
          if (message.id !== id) return;
          worker.off("message", onMessage);
          worker.unref();
          if (message.error !== undefined) reject(new Error(message.error));
          else {
            for (const [index, digest] of message.out ?? []) digests[index] = digest;
            resolve();
          }
        };
        worker.ref();
        worker.on("message", onMessage);
        worker.postMessage({ id, path: job.path, chunk: job.chunk, indices, wasm });
      });
    }),
  );
  return digests;
}
