/**
 * Applies the edits of a `projects/<name>/fixtures/corruptions.json` case to
 * a built small snapshot, in place. The edit vocabulary is deliberately tiny
 * so each fixture reads as what went wrong with the data.
 */
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { formatCsv, parseCsv } from "../../stages/lib/csv.js";

/** One edit of a fixture case. `file` names a dep of the project's validate stage. */
export type Edit =
  | { op: "set"; file: string; row: number; column: string; value: string }
  | { op: "drop_from"; file: string; column: string; value: string }
  | { op: "truncate"; file: string; keep: number }
  | { op: "truncate_bytes"; file: string; keep: number }
  | { op: "copy_row"; file: string; row: number; set: Record<string, string> }
  | { op: "move_group_member"; file: string; group: string };

/** One failure mode. */
export interface CorruptionCase {
  readonly mode: string;
  readonly why: string;
  readonly edits: readonly Edit[];
  /** Exactly the gates that must fail. */
  readonly failing: readonly string[];
  /** Per failing gate, evidence the gate must contain (`toMatchObject`); "*" means any value. */
  readonly evidence: Record<string, Record<string, unknown>>;
}

/** The fixture file of a project. */
export interface CorruptionFixture {
  readonly small: Record<string, Record<string, unknown>>;
  readonly cases: readonly CorruptionCase[];
}

/** Applies `edits` to the files (dep name -> path). */
export function applyEdits(files: Readonly<Record<string, string>>, edits: readonly Edit[]): void {
  for (const edit of edits) {
    const path = files[edit.file];
    if (path === undefined) throw new Error(`fixture edits unknown file ${edit.file}`);
    if (edit.op === "truncate_bytes") {
      truncateSync(path, edit.keep);
      continue;
    }
    const table = parseCsv(readFileSync(path, "utf8"));
    let rows = table.rows.map((r) => ({ ...r }));
    const at = (i: number): Record<string, string> => {
      const row = rows[i];
      if (!row) throw new Error(`fixture edits row ${i} of ${edit.file}, which has ${rows.length} rows`);
      return row;
    };
    switch (edit.op) {
      case "set":
        at(edit.row)[edit.column] = edit.value;
        break;
      case "drop_from":
        rows = rows.filter((r) => (r[edit.column] ?? "") < edit.value);
        break;
      case "truncate":
        rows = rows.slice(0, edit.keep);
        break;
      case "copy_row":
        rows.push({ ...at(edit.row), ...edit.set });
        break;
      case "move_group_member": {
        // The second row of the first group with several rows goes to a split its group is not in.
        const first = rows.findIndex((r, i) => rows.some((o, j) => j < i && o[edit.group] === r[edit.group]));
        const row = at(first);
        row["split"] = row["split"] === "test" ? "train" : "test";
        break;
      }
      default:
        unreachable(edit);
    }
    writeFileSync(path, formatCsv(table.columns, rows));
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown edit ${JSON.stringify(x)}`);
}
