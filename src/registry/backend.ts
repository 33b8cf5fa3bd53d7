/**
 * The storage behind the registry. Operations never touch storage
 * directly: they read a snapshot, propose events, and the backend appends
 * them atomically with the chain stamps. The file backend and the
 * PostgreSQL backend keep the same events, chain and invariants.
 */
import type { RegistryEvent } from "../../contracts/index.js";
import type { ChainHead, ChainProblem } from "./chain.js";
import type { EventDraft, TransactionStamp } from "./event-draft.js";
import type { RegistryState } from "./registry-state.js";

/** A consistent view of the log. */
export interface RegistrySnapshot {
  readonly events: readonly RegistryEvent[];
  readonly head: ChainHead | undefined;
}

/** The log as stored, for verification: raw lines (canonical JSON) and the head record. */
export interface RawChain {
  readonly lines: readonly string[];
  readonly head: ChainHead | undefined;
  /** Bytes after the last newline: an append that never completed. */
  readonly torn: string | undefined;
}

/** What a transaction body returns: the events to append and the caller's result. */
export interface TransactionOutcome<T> {
  readonly append: readonly EventDraft[];
  readonly value: T;
}

/** A problem with a materialised view (alias files, alias table) of the log. */
export interface MaterialisedProblem {
  readonly reason:
    | "alias-file-stale"
    | "alias-file-missing"
    | "alias-file-orphan"
    | "alias-row-stale"
    | "alias-row-missing"
    | "alias-row-orphan";
  /** Workspace-relative file (or table row) concerned. */
  readonly file: string;
  readonly message: string;
}

/** A registry storage. */
export interface RegistryBackend {
  /** Where the log lives, for messages (`registry/releases.jsonl`). */
  readonly location: string;
  /**
   * True when other workspaces write to this storage too: the objects its
   * releases pin may then be in another workspace's cache, not this one's.
   */
  readonly shared?: boolean;
  /** Reads the current log without taking the write lock. */
  read(): Promise<RegistrySnapshot>;
  /**
   * Runs `body` with exclusive write access to a fresh snapshot and appends
   * what it returns as one unit; materialised views are updated before the
   * lock is released. `body` must not have side effects beyond its result:
   * it may be called on a snapshot that is then discarded when it throws.
   */
  transact<T>(
    stamp: TransactionStamp,
    body: (snapshot: RegistrySnapshot) => TransactionOutcome<T> | Promise<TransactionOutcome<T>>,
  ): Promise<T>;
  /** The raw chain for `verify`. */
  readChain(): Promise<RawChain>;
  /** Compares materialised views with the state folded from the log. */
  checkMaterialised(state: RegistryState): Promise<MaterialisedProblem[]>;
  /**
   * Checks the storage can be used (reachable, credentials, schema) before
   * the first operation, so a command fails with one clear message before
   * it starts. Storage with nothing to check leaves it out.
   */
  open?(): Promise<void>;
  /**
   * Rewrites this workspace's materialised views from the log under the
   * write lock and returns the files it changed. For storage shared by
   * several workspaces, whose alias files only the writing one refreshes.
   */
  refreshMaterialised?(): Promise<readonly string[]>;
}

/** Thrown when a write finds the log broken; operations refuse to build on it. */
export class RegistryCorruptError extends Error {
  readonly problems: readonly ChainProblem[];
  constructor(location: string, problems: readonly ChainProblem[]) {
    super(`${location} is damaged (${problems[0]?.message ?? "unknown problem"}); run \`sluice verify\` for details`);
    this.name = "RegistryCorruptError";
    this.problems = problems;
  }
}

/**
 * Thrown when a writer finds a log with lines but no head record: the head
 * is what vouches for the last line (no later `prev` covers it), and
 * rebuilding it from the log would bless whatever that line now says.
 */
export class RegistryUnanchoredError extends Error {
  constructor(location: string, headFile: string, lines: number) {
    super(
      `${headFile} is missing, so nothing vouches for the last of the ${lines} lines of ${location}; rebuilding it would hide an edit, so nothing was written. ` +
        "Re-anchor it from a copy you trust: `sluice registry anchor --from-git <commit>` (the log as committed there must begin this one) " +
        "or `sluice registry anchor --from-registry postgres://…` (the team's PostgreSQL registry)",
    );
    this.name = "RegistryUnanchoredError";
  }
}

/** Thrown when the registry lock could not be taken in time. */
export class RegistryBusyError extends Error {
  constructor(lockFile: string, owner: string) {
    super(`the registry is locked by ${owner} (${lockFile}); try again when it finishes`);
    this.name = "RegistryBusyError";
  }
}
