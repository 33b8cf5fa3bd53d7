/**
 * Follows the log file Slurm writes a job's output to, as it grows: new
 * text goes to the stage's log as it arrives (which keeps a failure's log
 * tail). The file is on a filesystem both the node and
 * the submitter see (Slurm's `--output` is written by the node); where it
 * is not, nothing streams and a failure carries no tail.
 */
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

/** At most this much is read per call, so a chatty job cannot flood one turn. */
const CHUNK = 1 << 20;

export class LogFollower {
  readonly #path: string;
  readonly #onText: (text: string) => void;
  readonly #decoder = new StringDecoder("utf8");
  #offset = 0;

  constructor(path: string, onText: (text: string) => void) {
    this.#path = path;
    this.#onText = onText;
  }

  /** Reads whatever was appended since the last call. */
  async poll(): Promise<void> {
    let handle;
    try {
      handle = await open(this.#path, "r");
    } catch {
      return; // not created yet (the job has not started), or not visible from here
    }
    try {
      const buffer = Buffer.alloc(CHUNK);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, this.#offset);
        if (bytesRead === 0) return;
        this.#offset += bytesRead;
        const text = this.#decoder.write(buffer.subarray(0, bytesRead));
        if (text) this.#onText(text);
        if (bytesRead < CHUNK) return;
      }
    } finally {
      await handle.close();
    }
  }

}
