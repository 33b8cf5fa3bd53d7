/**
 * `sluice.aliases`: the PostgreSQL registry's materialised view. One row
 * per live alias holding the exact text of its alias file (the whole
 * manifest), rewritten in the same transaction as the move, so a serving
 * system can read `SELECT document FROM sluice.aliases WHERE project = $1
 * AND alias = $2` and never see a move the log does not record.
 */
import type { ClientBase } from "pg";
import { renderAliasFile } from "../alias-files.js";
import type { MaterialisedProblem } from "../backend.js";
import type { RegistryState } from "../registry-state.js";

/** One row as stored. */
export interface AliasRow {
  readonly project: string;
  readonly alias: string;
  readonly release: string;
  readonly event_seq: string;
  readonly document: string;
}

/** How a row is named in messages. */
export function aliasRowName(project: string, alias: string): string {
  return `sluice.aliases ${project}@${alias}`;
}

/** Rewrites the rows of `projects` to match `state`; cleared aliases lose their row. */
export async function materialiseAliasRows(client: ClientBase, state: RegistryState, projects: ReadonlySet<string>): Promise<void> {
  for (const pointer of state.aliases()) {
    if (!projects.has(pointer.project)) continue;
    const document = renderAliasFile(state, pointer);
    if (pointer.release === null || document === undefined) {
      await client.query("DELETE FROM sluice.aliases WHERE project = $1 AND alias = $2", [pointer.project, pointer.alias]);
      continue;
    }
    await client.query(
      `INSERT INTO sluice.aliases (project, alias, release, event_seq, document) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project, alias) DO UPDATE
         SET release = EXCLUDED.release, event_seq = EXCLUDED.event_seq, document = EXCLUDED.document`,
      [pointer.project, pointer.alias, pointer.release, pointer.move.seq, document],
    );
  }
}

/** Every row of the table. */
export async function readAliasRows(client: ClientBase): Promise<AliasRow[]> {
  return (await client.query<AliasRow>("SELECT project, alias, release, event_seq, document FROM sluice.aliases")).rows;
}

/** Every row that does not match `state`, and every live alias without a row. */
export function checkAliasRows(rows: readonly AliasRow[], state: RegistryState): MaterialisedProblem[] {
  const stored = new Map(rows.map((r) => [`${r.project}@${r.alias}`, r]));
  const problems: MaterialisedProblem[] = [];
  for (const pointer of state.aliases()) {
    const key = `${pointer.project}@${pointer.alias}`;
    const name = aliasRowName(pointer.project, pointer.alias);
    const row = stored.get(key);
    stored.delete(key);
    const expected = renderAliasFile(state, pointer);
    if (expected === undefined) {
      if (row) problems.push({ reason: "alias-row-orphan", file: name, message: `${name} exists but the log says ${pointer.alias} was cleared` });
      continue;
    }
    if (!row) {
      problems.push({ reason: "alias-row-missing", file: name, message: `${name} is missing; the log says ${pointer.alias} -> ${pointer.release}` });
    } else if (row.document !== expected || row.release !== pointer.release || Number(row.event_seq) !== pointer.move.seq) {
      problems.push({
        reason: "alias-row-stale",
        file: name,
        message: `${name} does not match the log (${pointer.alias} -> ${pointer.release}, event ${pointer.move.seq}; the row says ${row.release}, event ${row.event_seq})`,
      });
    }
  }
  for (const row of stored.values()) {
    const name = aliasRowName(row.project, row.alias);
    problems.push({ reason: "alias-row-orphan", file: name, message: `${name} names an alias the log never moved` });
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file));
}
