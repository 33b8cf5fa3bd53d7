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
const { parentPort } = require("node:worker_threads");
const { openSync, readSync, closeSync } = require("node:fs");
let hasher;
parentPort.on("message", async ({ id, path, chunk, indices, wasm }) => {
  try {
    hasher ??= await (await import(wasm)).default();
    const fd = openSync(path, "r");
    const buffer = Buffer.allocUnsafe(chunk);
    const out = [];
    for (const index of indices) {
      let filled = 0;
      for (;;) {
        const n = readSync(fd, buffer, filled, chunk - filled, index * chunk + filled);
        if (n === 0) break;
        filled += n;
        if (filled === chunk) break;
      }
      out.push([index, hasher.h64Raw(buffer.subarray(0, filled)).toString(16).padStart(16, "0")]);
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
