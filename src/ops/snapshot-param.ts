/**
 * The one param a retrain moves: a YYYY-MM-DD snapshot date at a dotted path
 * of a JSON params file. The file is edited in place, changing only that
 * value's text when it can be found unambiguously, so a reviewer's diff is
 * one line.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { fail, ok, type Result } from "../util/result.js";

/** A snapshot date before and after a retrain. */
export interface SnapshotMove {
  /** Workspace-relative params file. */
  readonly file: string;
  /** Dotted path of the param (`snapshot.cutoff`). */
  readonly param: string;
  readonly from: string;
  readonly to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the current date and computes the next one (`to`, or `from` + `advanceDays`). */
export function planSnapshotMove(
  root: string,
  rule: { readonly paramsFile: string; readonly snapshotParam: string; readonly advanceDays: number },
  to?: string,
): Result<SnapshotMove, string> {
  const { paramsFile: file, snapshotParam: param } = rule;
  let params: unknown;
  try {
    params = JSON.parse(readFileSync(join(root, file), "utf8"));
  } catch (error) {
    return fail(`cannot read params file ${file}: ${(error as Error).message}`);
  }
  const from = param.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), params);
  if (typeof from !== "string" || !DATE.test(from)) return fail(`${file}: ${param} is ${JSON.stringify(from) ?? "missing"}, not a YYYY-MM-DD date`);
  const next = to ?? addDays(from, rule.advanceDays);
  if (!DATE.test(next) || Number.isNaN(Date.parse(`${next}T00:00:00Z`))) return fail(`--snapshot ${next} is not a YYYY-MM-DD date`);
  if (next <= from) return fail(`the new snapshot date ${next} is not after the current one (${from} in ${file})`);
  return ok({ file, param, from, to: next });
}

/** Writes the new date into the params file (atomically). */
export function applySnapshotMove(root: string, move: SnapshotMove): void {
  const path = join(root, move.file);
  const text = readFileSync(path, "utf8");
  const key = move.param.slice(move.param.lastIndexOf(".") + 1);
  const pattern = new RegExp(`("${key}"\\s*:\\s*)"${move.from}"`, "g");
  const matches = text.match(pattern) ?? [];
  const edited =
    matches.length === 1
      ? text.replace(pattern, `$1"${move.to}"`)
      : `${JSON.stringify(setPath(JSON.parse(text) as Record<string, unknown>, move.param.split("."), move.to), null, 2)}\n`;
  writeFileAtomicSync(path, edited);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function setPath(node: Record<string, unknown>, keys: readonly string[], value: string): Record<string, unknown> {
  const [head, ...rest] = keys;
  if (head === undefined) return node;
  return { ...node, [head]: rest.length === 0 ? value : setPath((node[head] ?? {}) as Record<string, unknown>, rest, value) };
}
