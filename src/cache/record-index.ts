/**
 * The part of each run record a hit needs (outputs, log, decisions), kept
 * in one file, `cache/record-index.json`, for the records the last run
 * used. A no-op run of a thousand stages then parses one file instead of
 * reading a thousand.
 *
 * Each entry carries the [size, mtimeMs, inode] its record file had when
 * it was indexed, and is served only while the file still has them: a
 * record that was deleted, truncated or rewritten is read again (and
 * reported if it is damaged), exactly as without the index; so gc, which
 * deletes records, need not touch it. A missing or unreadable index is an
 * empty one. The index is trusted as far as the record files are: it is
 * written by the workspace's lock holder only.
 */
import { readFileSync, type Stats } from "node:fs";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import type { RunRecord } from "./run-record.js";
import type { StageKey } from "./stage-key.js";

/** What serving a hit reads from a run record. */
export type RecordedHit = Pick<RunRecord, "outs" | "log" | "held" | "decisions">;

/** [size, mtimeMs, ino] of the record file, then its hit view. */
type Entry = [number, number, number, RecordedHit];

const VERSION = 1;

export class RecordIndex {
  readonly #file: string;
  #entries: Map<string, Entry> | undefined;
  /** Keys looked up or written since load: what the next save keeps. */
  readonly #used = new Set<string>();
  #changed = false;

  constructor(file: string) {
    this.#file = file;
  }

  /** The indexed view of `key`, if its record file still is what was indexed. */
  lookup(key: StageKey, file: Stats): RecordedHit | undefined {
    const entry = this.#load().get(key);
    if (!entry || entry[0] !== file.size || entry[1] !== file.mtimeMs || entry[2] !== file.ino) return undefined;
    const hit = entry[3];
    if (typeof hit?.log !== "string" || typeof hit.outs !== "object" || !Array.isArray(hit.decisions)) return undefined;
    this.#used.add(key);
    return hit;
  }

  /** Indexes a record just read or written, with its file's stats. */
  set(record: RunRecord, file: Stats): void {
    const { outs, log, held, decisions } = record;
    this.#load().set(record.key, [file.size, file.mtimeMs, file.ino, { outs, log, held, decisions }]);
    this.#used.add(record.key);
    this.#changed = true;
  }

  /** Writes the entries used since load, when they differ from what was loaded. */
  async save(): Promise<void> {
    const entries = this.#entries;
    if (!entries || (!this.#changed && this.#used.size === entries.size)) return;
    const kept: Record<string, Entry> = {};
    for (const key of this.#used) {
      const entry = entries.get(key);
      if (entry) kept[key] = entry;
    }
    writeFileAtomicSync(this.#file, JSON.stringify({ version: VERSION, entries: kept }));
    this.#entries = new Map(Object.entries(kept));
    this.#changed = false;
  }

  #load(): Map<string, Entry> {
    if (this.#entries) return this.#entries;
    this.#entries = new Map();
    try {
      const parsed = JSON.parse(readFileSync(this.#file, "utf8")) as { version?: number; entries?: Record<string, Entry> };
      if (parsed.version === VERSION && parsed.entries) this.#entries = new Map(Object.entries(parsed.entries));
    } catch {
      // first run, or a torn file: every record is read from its own file once
    }
    return this.#entries;
  }
}
