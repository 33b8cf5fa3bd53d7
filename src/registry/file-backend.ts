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
 * next writer; `verify` reports them meanwhile).
 */
import { open, readFile, truncate } from "node:fs/promises";
import { join } from "node:path";
import { acquireLock } from "../util/file-lock.js";
import { checkAliasFiles, materialiseAliases } from "./alias-files.js";
import { writeFileAtomic } from "./atomic-write.js";
import {
  RegistryBusyError,
  RegistryCorruptError,
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
    const raw = await this.readChain();
    const events = raw.lines.map((line, i) => {
      const decoded = decodeLine(line, i + 1);
      if (!decoded.ok) throw new RegistryCorruptError(this.location, [decoded.problem]);
      return decoded.event;
    });
    return { events, head: raw.head };
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
      const outcome = await body(snapshot);
      if (outcome.append.length === 0) return outcome.value;
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

  checkMaterialised(state: RegistryState): Promise<MaterialisedProblem[]> {
    return checkAliasFiles(this.#root, state);
  }

  /**
   * The snapshot a writer builds on: a torn tail is cut off and a head left
   * behind by a crash is advanced. Any other damage refuses the write.
   */
  async #recoveredSnapshot(): Promise<RegistrySnapshot> {
    const raw = await this.readChain();
    if (raw.torn !== undefined) {
      const whole = raw.lines.reduce((size, line) => size + Buffer.byteLength(line, "utf8") + 1, 0);
      await truncate(this.#log, whole);
    }
    let head = raw.head;
    const behind = head === undefined ? raw.lines.length > 0 : head.seq < raw.lines.length;
    if (behind && (head === undefined || lineDigest(raw.lines[head.seq - 1] ?? "") === head.digest || head.seq === 0)) {
      const last = raw.lines.length;
      head = { seq: last, digest: lineDigest(raw.lines[last - 1] as string) };
    }
    const problems = checkChain(raw.lines, head);
    if (problems.length > 0) throw new RegistryCorruptError(this.location, problems);
    if (head !== raw.head && head) await this.#writeHead(head);
    const events = raw.lines.map((line, i) => {
      const decoded = decodeLine(line, i + 1);
      if (!decoded.ok) throw new RegistryCorruptError(this.location, [decoded.problem]);
      return decoded.event;
    });
    return { events, head };
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
    await writeFileAtomic(this.#head, `${JSON.stringify({ seq: head.seq, digest: head.digest })}\n`);
  }
}

function ignoreMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  };
}
