/**
 * Run records, the action cache: stage key -> output digests, decisions,
 * the log's digest and timing. Written only after every output is in the
 * object store, so a record never names an object that was not stored.
 */
import { readFileSync, statSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join, sep } from "node:path";
import type { Json, StageDecision, StageId, StageOut } from "../pipeline/index.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { isDigest, type Digest } from "./digest.js";
import { RecordIndex, type RecordedHit } from "./record-index.js";
import { parseStageKey, type KeyComponents, type StageKey } from "./stage-key.js";

/** One stored output of a run. For a directory, `digest` names its manifest object. */
export interface RecordedOut {
  readonly path: string;
  readonly kind: StageOut["kind"];
  readonly digest: Digest;
  readonly size: number;
  /** Present (false) for an output declared `cache: false`: recorded, its bytes never stored. */
  readonly cached?: false;
}

export interface RunRecord {
  readonly version: 1;
  readonly key: StageKey;
  readonly stage: StageId;
  readonly components: KeyComponents;
  /** Output name -> what was stored. */
  readonly outs: Readonly<Record<string, RecordedOut>>;
  /** Digest of the combined stdout/stderr log object. */
  readonly log: Digest;
  readonly durationMs: number;
  readonly createdAt: string;
  /** The stage succeeded but moved nothing (a held promotion). */
  readonly held: boolean;
  readonly decisions: readonly StageDecision[];
  /** The value of a json output named `metrics`, if the stage declares one. */
  readonly metrics: Json | undefined;
}

/** Why a stored record was not usable. */
export type RecordProblem = { readonly reason: "corrupt-record"; readonly key: StageKey; readonly detail: string };

export class RunRecords {
  readonly #dir: string;
  readonly #index: RecordIndex;

  /** `indexFile` holds the hit views of the records the last run used (see record-index.ts). */
  constructor(recordsDir: string, indexFile: string) {
    this.#dir = recordsDir;
    this.#index = new RecordIndex(indexFile);
  }

  pathOf(key: StageKey): string {
    // Concatenated, not joined: a key is 16 hex digits, and a no-op run asks for a thousand of these.
    return `${this.#dir}${sep}${key.slice(0, 2)}${sep}${key}.json`;
  }

  /** The record for `key`; a torn or malformed record is reported and treated as a miss. */
  async get(key: StageKey): Promise<{ record: RunRecord | undefined; problem?: RecordProblem }> {
    let text: string;
    try {
      // Synchronous: thousands of small reads on a no-op run, each cheaper than a thread-pool hop.
      text = readFileSync(this.pathOf(key), "utf8");
    } catch {
      return { record: undefined };
    }
    const problem = (detail: string) => ({ record: undefined, problem: { reason: "corrupt-record" as const, key, detail } });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return problem("not valid JSON (truncated?)");
    }
    const shapeError = checkShape(parsed, key);
    return shapeError ? problem(shapeError) : { record: parsed as RunRecord };
  }

  /**
   * What a hit needs from the record for `key`: from the index while the
   * record file is unchanged, else from the file (a damaged one is reported
   * as by `get`).
   */
  async hit(key: StageKey): Promise<{ record: RecordedHit | undefined; problem?: RecordProblem }> {
    const file = statSync(this.pathOf(key), { throwIfNoEntry: false });
    if (!file) return { record: undefined };
    const indexed = this.#index.lookup(key, file);
    if (indexed) return { record: indexed };
    const read = await this.get(key);
    if (read.record) this.#index.set(read.record, file);
    return read;
  }

  async put(record: RunRecord): Promise<void> {
    const path = this.pathOf(record.key);
    writeFileAtomicSync(path, `${JSON.stringify(record)}\n`);
    this.#index.set(record, statSync(path));
  }

  async remove(key: StageKey): Promise<void> {
    await rm(this.pathOf(key), { force: true }); // the index's entry dies with the file: it no longer stats the same
  }

  /** Writes the hit index for the next run (by the workspace's lock holder, after a run). */
  async saveIndex(): Promise<void> {
    await this.#index.save();
  }

  /** Every stored key. */
  async keys(): Promise<StageKey[]> {
    const keys: StageKey[] = [];
    for (const shard of await readdir(this.#dir).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.#dir, shard)).catch(() => [] as string[])) {
        const key = name.endsWith(".json") ? parseStageKey(name.slice(0, -5)) : undefined;
        if (key) keys.push(key);
      }
    }
    return keys.sort();
  }
}

/** Every object a record names (outputs and log). Directory file objects are listed by their manifest. */
export function recordDigests(record: RunRecord): Digest[] {
  return [record.log, ...storedOuts(record).map((o) => o.digest)];
}

/** The outputs of a record whose bytes are in the store (all but those declared `cache: false`). */
export function storedOuts(record: Pick<RunRecord, "outs">): RecordedOut[] {
  return Object.values(record.outs).filter((out) => out.cached !== false);
}

function checkShape(value: unknown, key: StageKey): string | undefined {
  if (typeof value !== "object" || value === null) return "not an object";
  const record = value as Partial<RunRecord>;
  if (record.version !== 1) return "unknown record version";
  if (record.key !== key) return `names key ${String(record.key)}`;
  if (typeof record.log !== "string" || !isDigest(record.log)) return "bad log digest";
  if (typeof record.outs !== "object" || record.outs === null) return "no outputs";
  for (const [name, out] of Object.entries(record.outs)) {
    if (typeof out?.digest !== "string" || !isDigest(out.digest) || typeof out.path !== "string") return `bad output ${name}`;
  }
  return undefined;
}
