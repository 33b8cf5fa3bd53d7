/**
 * Writing bytes to a file descriptor synchronously, all of them, with no
 * state kept between calls. Node's streams keep a write's progress in
 * JavaScript, and V8 can end JavaScript anywhere (the load watchdog stops a
 * busy pipeline file that way): a stream stopped between a write and its
 * bookkeeping holds every later write back for good. Nothing here can be
 * left half-done but the bytes of the write that was stopped.
 */
import { writeSync } from "node:fs";

/** How long to wait for a reader to make room, when the descriptor is non-blocking and full. */
const FULL_WAIT_MS = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `bytes` to `fd`, waiting while a non-blocking descriptor is
 * full (as a process waits on a full pipe). False once the reader is gone
 * (EPIPE, a reset socket, a closed descriptor): nothing more can be written.
 */
export function writeWhole(fd: number, bytes: Uint8Array): boolean {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return false;
      Atomics.wait(pause, 0, 0, FULL_WAIT_MS);
    }
  }
  return true;
}

/**
 * Has `process.stdout` and `process.stderr` write through `writeWhole`
 * until the returned function puts their own `write` back: for code that may
 * be stopped anywhere. A stream whose `write` is replaced already (the
 * server's relay to its client, or an outer call of this) is left as it is,
 * and so is one still holding bytes back, which must go out first.
 */
export function writeStandardStreamsWhole(): () => void {
  const replaced = [process.stdout, process.stderr].filter((stream) => !Object.hasOwn(stream, "write") && stream.writableLength === 0);
  for (const stream of replaced) stream.write = wholeWriter(stream.fd);
  return () => {
    for (const stream of replaced) delete (stream as Partial<NodeJS.WriteStream>).write;
  };
}

/** A stream's `write` that writes to `fd` at once; what a reader that left misses is dropped, as sluice drops it anyway. */
function wholeWriter(fd: number): NodeJS.WriteStream["write"] {
  return streamWriteOf((bytes) => void writeWhole(fd, bytes));
}

/**
 * A stream's `write` that hands each chunk's bytes to `deliver` at once and
 * calls the write's callback on the next tick, as a stream whose writes
 * complete synchronously does.
 */
export function streamWriteOf(deliver: (bytes: Buffer) => void): NodeJS.WriteStream["write"] {
  return ((chunk: string | Uint8Array, encoding?: unknown, done?: unknown) => {
    deliver(typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    const callback = typeof encoding === "function" ? encoding : done;
    if (typeof callback === "function") process.nextTick(callback as () => void);
    return true;
  }) as NodeJS.WriteStream["write"];
}
