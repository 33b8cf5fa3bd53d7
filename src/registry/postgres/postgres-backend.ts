/**
 * The registry in PostgreSQL (`SLUICE_REGISTRY=postgres://…`): the same
 * events, chain stamps and invariants as `registry/releases.jsonl`, for a
 * team whose writers run on several machines.
 *
 * A write, from lock to alias files:
 *
 *   pg_advisory_lock ─▶ BEGIN ─▶ read + check chain ─▶ plan ─▶ INSERT lines,
 *   head, alias rows ─▶ COMMIT ─▶ alias files in the workspace ─▶ unlock
 *
 * The lock is taken before the snapshot is read, so writers in separate
 * processes serialise and each plans on the log as the previous one left
 * it; everything in the database changes in one transaction or not at
 * all. Materialised views: `sluice.aliases` (the team's view, always in
 * step with the log) and this workspace's `registry/<project>/<alias>.json`
 * (refreshed for every project by each transaction from this workspace,
 * even one that appends nothing, so a workspace catches up with its
 * teammates' moves when it next writes or runs `sluice registry sync`).
 */
import type { ClientBase, PoolClient } from "pg";
import type { RegistryEvent } from "../../../contracts/index.js";
import { checkAliasFiles, materialiseAliases } from "../alias-files.js";
import {
  RegistryCorruptError,
  type MaterialisedProblem,
  type RawChain,
  type RegistryBackend,
  type RegistrySnapshot,
  type TransactionOutcome,
} from "../backend.js";
import { fail, ok, type Result } from "../../util/result.js";
import { checkChain, decodeLine, lineDigest, stampEvents, type ChainProblem } from "../chain.js";
import type { TransactionStamp } from "../event-draft.js";
import { RegistryState } from "../registry-state.js";
import { checkAliasRows, materialiseAliasRows, readAliasRows } from "./alias-rows.js";
import { insertLines, readChainRows, writeHead, type ChainRows } from "./chain-rows.js";
import { withConnection } from "./connection.js";
import type { RegistryUrl } from "./registry-url.js";
import { withWriteLock } from "./write-lock.js";

/** Why an import was refused; the database is untouched. */
export type ImportRefusal =
  | { readonly reason: "different-chain"; readonly seq: number; readonly message: string }
  | { readonly reason: "longer-chain"; readonly stored: number; readonly message: string };

/** What an import appended. */
export interface ImportOutcome {
  /** Events already in the database (the shared prefix). */
  readonly existing: number;
  /** Events appended by this import. */
  readonly imported: number;
}

/** What a locked write hands back: its result, and the state this workspace's alias files should show. */
interface WriteResult<T> {
  readonly value: T;
  readonly materialise: RegistryState | undefined;
}

/** The registry in the database `url` names, for the workspace at `root`. */
export class PostgresBackend implements RegistryBackend {
  readonly location: string;
  readonly shared = true;
  readonly #root: string;
  readonly #url: RegistryUrl;

  constructor(root: string, url: RegistryUrl) {
    this.#root = root;
    this.#url = url;
    this.location = url.display;
  }

  async open(): Promise<void> {
    await withConnection(this.#url, async () => undefined);
  }

  async read(): Promise<RegistrySnapshot> {
    const rows = await this.#consistentRows();
    return { events: this.#decode(rows.lines), head: rows.head };
  }

  async readChain(): Promise<RawChain> {
    const rows = await this.#consistentRows();
    // Rows are written whole or not at all: there is never a torn tail.
    return { lines: rows.lines, head: rows.head, torn: undefined };
  }

  transact<T>(
    stamp: TransactionStamp,
    body: (snapshot: RegistrySnapshot) => TransactionOutcome<T> | Promise<TransactionOutcome<T>>,
  ): Promise<T> {
    return this.#write(async (client) => {
      const { snapshot } = await this.#checkedSnapshot(client);
      const outcome = await body(snapshot);
      // Nothing to append (a replayed promote stage, a repeat approval): the
      // workspace's alias files still catch up with the log, teammates' moves included.
      if (outcome.append.length === 0) return { value: outcome.value, materialise: RegistryState.fold(snapshot.events) };
      const stamped = stampEvents(outcome.append, snapshot.head, stamp);
      await insertLines(client, snapshot.head?.seq ?? 0, stamped.lines);
      if (stamped.head) await writeHead(client, stamped.head);
      const state = RegistryState.fold([...snapshot.events, ...stamped.events]);
      await materialiseAliasRows(client, state, new Set(stamped.events.map((e) => e.project)));
      return { value: outcome.value, materialise: state };
    });
  }

  async checkMaterialised(state: RegistryState): Promise<MaterialisedProblem[]> {
    const { lines, aliases } = await withConnection(this.#url, (client) =>
      this.#inSnapshot(client, async () => ({ lines: (await readChainRows(client)).lines, aliases: await readAliasRows(client) })),
    );
    // `state` was read a moment ago; a teammate may have written since. The
    // log only grows, so the same length means the same log; otherwise check
    // the rows against the log they were read with, not a stale one.
    const current = lines.length === state.events.length ? state : RegistryState.fold(decodable(lines));
    const rows = checkAliasRows(aliases, current);
    // A workspace that has not written since a teammate's move holds no copy
    // (nothing to mislead a reader), but a copy it holds must match the log.
    const files = (await checkAliasFiles(this.#root, current))
      .filter((p) => p.reason !== "alias-file-missing")
      .map((p) => ({ ...p, message: `${p.message} (this workspace's copy; \`sluice registry sync\` rewrites it)` }));
    return [...rows, ...files];
  }

  refreshMaterialised(): Promise<readonly string[]> {
    return withConnection(this.#url, (client, discard) =>
      withWriteLock(client, this.location, discard, async () => {
        const rows = await this.#consistentRowsOn(client);
        const state = RegistryState.fold(this.#decode(rows.lines));
        const before = await checkAliasFiles(this.#root, state);
        await materialiseAliases(this.#root, state, projectsOf(state));
        const after = new Set((await checkAliasFiles(this.#root, state)).map((p) => p.file));
        return before.map((p) => p.file).filter((file) => !after.has(file));
      }),
    );
  }

  /**
   * Appends an already-chained log (a file registry's lines) as one
   * transaction. The database must be empty or hold a prefix of `lines`
   * byte for byte; the rows are read back and re-checked before COMMIT.
   * The caller verifies `lines` first.
   */
  importLines(lines: readonly string[]): Promise<Result<ImportOutcome, ImportRefusal>> {
    return this.#write<Result<ImportOutcome, ImportRefusal>>(async (client) => {
      const { rows } = await this.#checkedSnapshot(client);
      const existing = rows.lines.length;
      const refusal = prefixRefusal(rows.lines, lines);
      if (refusal) return { value: fail(refusal), materialise: undefined };
      if (existing === lines.length) return { value: ok({ existing, imported: 0 }), materialise: undefined };
      await insertLines(client, existing, lines.slice(existing));
      await writeHead(client, { seq: lines.length, digest: lineDigest(lines[lines.length - 1] as string) });
      const after = await readChainRows(client);
      const problems = checkChain(after.lines, after.head);
      if (problems.length > 0 || after.lines.some((line, i) => line !== lines[i])) {
        throw new Error(`the imported rows do not read back as the file's chain (${problems[0]?.message ?? "lines differ"}); nothing was imported`);
      }
      const state = RegistryState.fold(this.#decode(after.lines));
      await materialiseAliasRows(client, state, projectsOf(state));
      return { value: ok({ existing, imported: lines.length - existing }), materialise: state };
    });
  }

  /** Lock, transaction, COMMIT, then this workspace's alias files, then unlock. */
  #write<T>(work: (client: PoolClient) => Promise<WriteResult<T>>): Promise<T> {
    return withConnection(this.#url, (client, discard) =>
      withWriteLock(client, this.location, discard, async () => {
        await client.query("BEGIN");
        let result: WriteResult<T>;
        try {
          result = await work(client);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(discard);
          throw error;
        }
        // After COMMIT, still under the lock: the files never show a move the
        // log lacks, and two writers of one workspace cannot reorder them.
        if (result.materialise) await materialiseAliases(this.#root, result.materialise, projectsOf(result.materialise));
        return result.value;
      }),
    );
  }

  /** The snapshot a writer builds on, and the rows it came from; any damage refuses the write. */
  async #checkedSnapshot(client: ClientBase): Promise<{ rows: ChainRows; snapshot: RegistrySnapshot }> {
    const rows = await readChainRows(client);
    const problems = [...checkChain(rows.lines, rows.head), ...seqColumnProblems(rows)];
    if (problems.length > 0) throw new RegistryCorruptError(this.location, problems);
    return { rows, snapshot: { events: this.#decode(rows.lines), head: rows.head } };
  }

  /** Events and head from one snapshot of the database, without the write lock. */
  #consistentRows(): Promise<ChainRows> {
    return withConnection(this.#url, (client) => this.#consistentRowsOn(client));
  }

  #consistentRowsOn(client: ClientBase): Promise<ChainRows> {
    return this.#inSnapshot(client, () => readChainRows(client));
  }

  /** Runs reads in one read-only snapshot, so what they return belongs together. */
  async #inSnapshot<T>(client: ClientBase, reads: () => Promise<T>): Promise<T> {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      return await reads();
    } finally {
      await client.query("COMMIT");
    }
  }

  #decode(lines: readonly string[]) {
    return lines.map((line, i) => {
      const decoded = decodeLine(line, i + 1);
      if (!decoded.ok) throw new RegistryCorruptError(this.location, [decoded.problem]);
      return decoded.event;
    });
  }
}

/** The events among `lines` that parse (verify reports the others as damage of the log). */
function decodable(lines: readonly string[]): RegistryEvent[] {
  return lines.flatMap((line, i) => {
    const decoded = decodeLine(line, i + 1);
    return decoded.ok ? [decoded.event] : [];
  });
}

/** The projects that have aliases, for rewriting every alias file of the workspace. */
function projectsOf(state: RegistryState): Set<string> {
  return new Set(state.aliases().map((a) => a.project));
}

/** A row stored under a seq other than its place in the log: the next append would collide with it. */
function seqColumnProblems(rows: ChainRows): ChainProblem[] {
  const at = rows.seqs.findIndex((seq, i) => seq !== i + 1);
  if (at < 0) return [];
  return [{ reason: "bad-seq", line: at + 1, message: `row ${at + 1} of sluice.events is stored under seq ${rows.seqs[at]}` }];
}

/** Why `stored` is not a prefix of `incoming`, or undefined when it is. */
function prefixRefusal(stored: readonly string[], incoming: readonly string[]): ImportRefusal | undefined {
  const differs = stored.findIndex((line, i) => line !== incoming[i]);
  if (differs >= 0 && differs < incoming.length) {
    return {
      reason: "different-chain",
      seq: differs + 1,
      message: `the PostgreSQL registry holds a different chain: event ${differs + 1} differs from line ${differs + 1} of the file`,
    };
  }
  if (stored.length > incoming.length) {
    return {
      reason: "longer-chain",
      stored: stored.length,
      message: `the PostgreSQL registry already holds ${stored.length} events, more than the file's ${incoming.length}; it is not a prefix of the file`,
    };
  }
  return undefined;
}
