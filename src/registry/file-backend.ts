/**
 * The embedded registry: `registry/releases.jsonl` (the log),
 * `registry/head.json` (seq and digest of the last line) and the
 * materialised alias files, serialised by `registry/.lock`.
 *
 * An append is one write of whole lines to a file opened for appending,
 * then fsync, then the head record, then the alias files. A crash can
 * leave: a torn last line (never acknowledged; cut off by the next
 * writer), a head one transaction behind (advanced by the next writer once
 * the new lines chain onto it), or stale alias files (rewritten by the
 * next transaction, even one that appends nothing; `verify` reports them
 * meanwhile).
 *
 * A torn line the head record already covers is not a crash but damage (an
 * acknowledged event lost its end): writers refuse and leave every byte as
 * it is, so nothing that was recorded is ever dropped by a repair.
 *
 * The head record is written (as line 0) before the first line is ever
 * appended, so a log with lines and no head is never a crash left-over:
 * the head was deleted, and writers refuse until it is re-anchored from a
 * copy of the log someone trusts (`anchor`), instead of rebuilding it over
 * a last line nobody can vouch for.
 */
import { statSync } from "node:fs";
import { open, readFile, truncate } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { commandScopedMap } from "../util/command-scope.js";
import { acquireLock } from "../util/file-lock.js";
import { checkAliasFiles, materialiseAliases } from "./alias-files.js";
import {
  RegistryBusyError,
  RegistryCorruptError,
  RegistryUnanchoredError,
  type MaterialisedProblem,
  type RawChain,
  type RegistryBackend,
  type RegistrySnapshot,
  type TransactionOutcome,
} from "./backend.js";
import { checkChain, decodeLine, lineDigest, stampEvents, type ChainHead } from "./chain.js";
import type { TransactionStamp } from "./event-draft.js";
import { RegistryState } from "./registry-state.js";

/** How long a writer waits for another before giving up with the holder named. */
const LOCK_TIMEOUT_MS = 120_000;

/** The head of a log with no line yet (written before the first append). */
const EMPTY_HEAD: ChainHead = { seq: 0, digest: "none" };

/** What `anchor` did. */
export interface AnchorOutcome {
  /** Lines of the log the head now vouches for. */
  readonly lines: number;
  /** Of those, how many are byte for byte the trusted copy's. */
  readonly fromTrusted: number;
}

/** Why `anchor` refused; the head record is untouched. */
export interface AnchorRefusal {
  readonly line: number;
  readonly message: string;
}

/** The registry under `<root>/registry/`. */
export class FileBackend implements RegistryBackend {
  readonly location = "registry/releases.jsonl";
  readonly #root: string;
  readonly #log: string;
  readonly #head: string;
  readonly #lock: string;

  /** `root` is the workspace root. */
  constructor(root: string) {
    this.#root = root;
    this.#log = join(root, "registry", "releases.jsonl");
    this.#head = join(root, "registry", "head.json");
    this.#lock = join(root, "registry", ".lock");
  }

  async read(): Promise<RegistrySnapshot> {
    const version = fileVersion(this.#log, this.#head);
    const known = parsedLogs.get(this.#log);
    if (known?.version === version) return known.snapshot;
    const raw = await this.readChain();
    // Readers decide too (the monitor, a promote stage's key): never on a log missing a recorded line.
    this.#refuseCutShort(raw);
    const events = raw.lines.map((line, i) => {
      const decoded = decodeLine(line, i + 1);
      if (!decoded.ok) throw new RegistryCorruptError(this.location, [decoded.problem]);
      return decoded.event;
    });
    const snapshot = { events, head: raw.head };
    parsedLogs.set(this.#log, { version, snapshot });
    return snapshot;
  }

  async readChain(): Promise<RawChain> {
    const text = await readFile(this.#log, "utf8").catch(ignoreMissing(""));
    const parts = text.split("\n");
    const tail = parts.pop() ?? "";
    return { lines: parts, head: await this.#readHead(), torn: tail === "" ? undefined : tail };
  }

  async transact<T>(
    stamp: TransactionStamp,
    body: (snapshot: RegistrySnapshot) => TransactionOutcome<T> | Promise<TransactionOutcome<T>>,
  ): Promise<T> {
    const acquired = await acquireLock(this.#lock, { wait: true, timeoutMs: LOCK_TIMEOUT_MS, command: "sluice registry write" });
    if (!acquired.ok) {
      const owner = acquired.owner ? `pid ${acquired.owner.pid} (${acquired.owner.command})` : "another process";
      throw new RegistryBusyError(this.#lock, owner);
    }
    try {
      const snapshot = await this.#recoveredSnapshot();
      // A brand-new registry gets its head before its first line: from then on a missing head means a deleted one.
      if (snapshot.head === undefined) await this.#writeHead(EMPTY_HEAD);
      const outcome = await body(snapshot);
      if (outcome.append.length === 0) {
        // A replay (a promote stage rerun after a kill) appends nothing, yet
        // the crash may have left alias files behind the log: catch them up.
        const state = RegistryState.fold(snapshot.events);
        await materialiseAliases(this.#root, state, new Set(state.aliases().map((a) => a.project)));
        return outcome.value;
      }
      const stamped = stampEvents(outcome.append, snapshot.head, stamp);
      await this.#append(stamped.lines);
      if (stamped.head) await this.#writeHead(stamped.head);
      const state = RegistryState.fold([...snapshot.events, ...stamped.events]);
      await materialiseAliases(this.#root, state, new Set(stamped.events.map((e) => e.project)));
      return outcome.value;
    } finally {
      await acquired.lock.release();
    }
  }

  /**
   * A torn tail the head record counts is not a crash left-over but a
   * recorded event cut short after the fact: truncating it, or reading past
   * it, would drop it silently.
   */
  #refuseCutShort(raw: RawChain): void {
    if (raw.torn === undefined || raw.head === undefined || raw.head.seq <= raw.lines.length) return;
    const line = raw.lines.length + 1;
    throw new RegistryCorruptError(this.location, [
      { reason: "head-mismatch", line, message: `line ${line} is incomplete, but the head record says it was written whole` },
    ]);
  }

  checkMaterialised(state: RegistryState): Promise<MaterialisedProblem[]> {
    return checkAliasFiles(this.#root, state);
  }

  /**
   * The snapshot a writer builds on: a torn tail left by a crashed append is
   * cut off and a head left behind by a crash is advanced. Any other damage
   * refuses the write before a byte is changed.
   */
  async #recoveredSnapshot(): Promise<RegistrySnapshot> {
    const raw = await this.readChain();
    this.#refuseCutShort(raw);
    if (raw.head === undefined && raw.lines.length > 0) throw new RegistryUnanchoredError(this.location, "registry/head.json", raw.lines.length);
    let head = raw.head;
    const behind = head !== undefined && head.seq < raw.lines.length;
    if (head !== undefined && behind && (lineDigest(raw.lines[head.seq - 1] ?? "") === head.digest || head.seq === 0)) {
      const last = raw.lines.length;
      head = { seq: last, digest: lineDigest(raw.lines[last - 1] as string) };
    }
    const problems = checkChain(raw.lines, head);
    if (problems.length > 0) throw new RegistryCorruptError(this.location, problems);
    if (raw.torn !== undefined) {
      // Checked first, so only a tail the head never acknowledged is cut.
      const whole = raw.lines.reduce((size, line) => size + Buffer.byteLength(line, "utf8") + 1, 0);
      await truncate(this.#log, whole);
    }
    if (head !== raw.head && head) await this.#writeHead(head);
    const events = raw.lines.map((line, i) => {
      const decoded = decodeLine(line, i + 1);
      if (!decoded.ok) throw new RegistryCorruptError(this.location, [decoded.problem]);
      return decoded.event;
    });
    return { events, head };
  }

  /**
   * Re-anchors the head on a trusted copy of the log (`trusted`: its lines,
   * from a git commit or the PostgreSQL registry). The log must begin with
   * those lines byte for byte, and the lines after them must chain onto
   * them; the head then names the last line. Refused, with nothing
   * written, when a line differs or the chain breaks.
   */
  async anchor(trusted: readonly string[], source: string): Promise<{ ok: true; value: AnchorOutcome } | { ok: false; error: AnchorRefusal }> {
    const acquired = await acquireLock(this.#lock, { wait: true, timeoutMs: LOCK_TIMEOUT_MS, command: "sluice registry anchor" });
    if (!acquired.ok) {
      const owner = acquired.owner ? `pid ${acquired.owner.pid} (${acquired.owner.command})` : "another process";
      throw new RegistryBusyError(this.#lock, owner);
    }
    try {
      const raw = await this.readChain();
      const differs = trusted.findIndex((line, i) => raw.lines[i] !== line);
      if (differs >= 0) {
        const line = differs + 1;
        const what = differs < raw.lines.length ? `line ${line} differs from ${source}'s` : `the log ends at line ${raw.lines.length}, but ${source} has ${trusted.length} lines`;
        return { ok: false, error: { line, message: `${what}: ${this.location} was changed after ${source}; nothing was anchored (restore the lines ${source} holds, or anchor on a copy that holds them)` } };
      }
      const head = raw.lines.length === 0 ? EMPTY_HEAD : { seq: raw.lines.length, digest: lineDigest(raw.lines[raw.lines.length - 1] as string) };
      const problems = checkChain(raw.lines, raw.lines.length === 0 ? undefined : head);
      if (problems.length > 0) {
        const first = problems[0] as { line: number; message: string };
        return { ok: false, error: { line: first.line, message: `${this.location} does not chain onto ${source}: ${first.message}; nothing was anchored` } };
      }
      await this.#writeHead(head);
      return { ok: true, value: { lines: raw.lines.length, fromTrusted: trusted.length } };
    } finally {
      await acquired.lock.release();
    }
  }

  async #append(lines: readonly string[]): Promise<void> {
    const handle = await open(this.#log, "a");
    try {
      // One write of whole lines: a crash leaves at worst a torn last line.
      await handle.write(`${lines.join("\n")}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async #readHead(): Promise<ChainHead | undefined> {
    const text = await readFile(this.#head, "utf8").catch(ignoreMissing(undefined));
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as { seq?: unknown; digest?: unknown };
      if (typeof parsed.seq === "number" && typeof parsed.digest === "string") return { seq: parsed.seq, digest: parsed.digest };
    } catch {
      // fall through: an unreadable head is reported as a mismatch
    }
    return { seq: -1, digest: "unreadable" };
  }

  async #writeHead(head: ChainHead): Promise<void> {
    writeFileAtomicSync(this.#head, `${JSON.stringify({ seq: head.seq, digest: head.digest })}\n`, { durable: true });
  }
}

function ignoreMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  };
}


/**
 * Logs already parsed in this process, by path, with the file versions they
 * were read at. One run reads the registry many times (each project's alias,
 * champion and promotion-state deps, each promote stage's hit check); the
 * log is decoded again only when it or its head record changed.
 */
const parsedLogs = commandScopedMap<string, { readonly version: string; readonly snapshot: RegistrySnapshot }>();

/** Identity of the log's and head record's current bytes: inode, size and change times (ns). */
function fileVersion(...paths: string[]): string {
  return paths
    .map((path) => {
      const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
      return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : "-";
    })
    .join("|");
}
