/**
 * The log as rows: `sluice.events` (seq, line) and the one-row
 * `sluice.head`. A line is stored as the exact text the file registry
 * would hold, so the chain digests, `verify` and `registry export` are
 * the same code and the same bytes on both backends.
 */
import type { ClientBase } from "pg";
import type { ChainHead } from "../chain.js";

/** The log as stored. */
export interface ChainRows {
  /** Lines in seq order. */
  readonly lines: readonly string[];
  /** The seq column of each row, parallel to `lines`. */
  readonly seqs: readonly number[];
  readonly head: ChainHead | undefined;
}

/** Inserting more rows than this in one statement buys nothing and makes a huge import one huge message. */
const INSERT_BATCH = 1_000;

/** Reads every row and the head; call inside a transaction for a consistent pair. */
export async function readChainRows(client: ClientBase): Promise<ChainRows> {
  // bigint arrives as a string; seq is far below 2^53, so Number is exact.
  const events = await client.query<{ seq: string; line: string }>("SELECT seq, line FROM sluice.events ORDER BY seq");
  const head = await client.query<{ seq: string; digest: string }>("SELECT seq, digest FROM sluice.head");
  const row = head.rows[0];
  return {
    lines: events.rows.map((r) => r.line),
    seqs: events.rows.map((r) => Number(r.seq)),
    head: row ? { seq: Number(row.seq), digest: row.digest } : undefined,
  };
}

/** Appends `lines` as rows `after + 1`, `after + 2`, …; the primary key refuses a seq taken twice. */
export async function insertLines(client: ClientBase, after: number, lines: readonly string[]): Promise<void> {
  for (let start = 0; start < lines.length; start += INSERT_BATCH) {
    const batch = lines.slice(start, start + INSERT_BATCH);
    const seqs = batch.map((_, i) => after + start + i + 1);
    await client.query("INSERT INTO sluice.events (seq, line) SELECT * FROM unnest($1::bigint[], $2::text[])", [seqs, batch]);
  }
}

/** Records the new last line. */
export async function writeHead(client: ClientBase, head: ChainHead): Promise<void> {
  await client.query(
    `INSERT INTO sluice.head (singleton, seq, digest) VALUES (true, $1, $2)
     ON CONFLICT (singleton) DO UPDATE SET seq = EXCLUDED.seq, digest = EXCLUDED.digest`,
    [head.seq, head.digest],
  );
}
