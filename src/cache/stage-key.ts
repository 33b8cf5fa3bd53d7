/**
 * The stage key: xxh64 over the canonical JSON of everything that decides a
 * stage's outputs. The components are stored beside the key in the run
 * record so `explain` can say exactly which one changed.
 */
import type { Json, StageId } from "../pipeline/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import { hashString } from "./digest.js";

/** Bumped whenever the key recipe or the digest format changes. */
export const KEY_FORMAT = 2; // 2: files over 8 MiB hashed as chunks

/** A stage key, minted only by `stageKey`. */
export type StageKey = string & { readonly __brand: "StageKey" };

/** One dep as it enters the key: where it comes from and its digest. */
export interface DepComponent {
  /** Digest of the contract a json output dep is parsed by (see `contractText`); absent for other deps. */
  readonly contract?: string;
  /** `eta:features.table`, `source projects/eta/train.py`, `external registry:eta@production`. */
  readonly from: string;
  readonly digest: string;
}

/** Everything a stage key is computed from. */
export interface KeyComponents {
  readonly format: number;
  readonly stage: StageId;
  readonly action: "run" | "cmd";
  readonly cmd?: string;
  /** Workspace-relative folder a cmd runs in, when not its project folder. */
  readonly wdir?: string;
  /** Workspace-relative code file -> digest (run stages). */
  readonly code?: Readonly<Record<string, string>>;
  /** Digest of an inline function's text. */
  readonly inline?: string;
  readonly packages?: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, Json>>;
  /** How each params-file param is written in the copy a cmd stage reads (absent: it reads none). */
  readonly paramsWritten?: Readonly<Record<string, string>>;
  readonly deps: Readonly<Record<string, DepComponent>>;
  /** Output name -> `kind:path` (`:persist` added when persisted, `#contract:<digest>` for a json output); moving an output is a new key. */
  readonly outs: Readonly<Record<string, string>>;
  /** Declared environment variables and their values (null when unset). */
  readonly env: Readonly<Record<string, string | null>>;
  /** Declared probe commands and their output. */
  readonly probes: Readonly<Record<string, string>>;
  /** Platform and, for run stages, the Node major. */
  readonly runtime: Readonly<Record<string, string>>;
}

export function stageKey(components: KeyComponents): StageKey {
  return hashString(canonicalJson(components)) as StageKey;
}

/** `text` as a stage key when it has a key's form (16 hex digits), as read back from a file name or a lock. */
export function parseStageKey(text: string): StageKey | undefined {
  return /^[0-9a-f]{16}$/.test(text) ? (text as StageKey) : undefined;
}
