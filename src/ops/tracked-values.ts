/**
 * The values `params diff` and `metrics show|diff` compare: the named keys
 * of each params file, and the leaves of each declared metrics file, read
 * from the workspace or from a git revision. A revision's params come from
 * its params files; its metrics through its output files (output-files.ts),
 * so no checkout is needed.
 */
import { join } from "node:path";
import {
  parseStructured,
  readStructuredFile,
  selectKey,
  type Json,
  type ParamsFormat,
  type Workspace,
} from "../pipeline/index.js";
import type { OutputFiles } from "./output-files.js";
import { revisionFile } from "./revision-files.js";

/** The most bytes a metrics file may have to be read. */
const MAX_METRICS_BYTES = 1024 * 1024;

/** One value: a leaf of a metrics file or a params key, with the file it is in. */
export interface TrackedValue {
  /** Workspace-relative path of the file. */
  readonly path: string;
  /** Dotted key inside the file. */
  readonly key: string;
  readonly value: Json;
}

/** The values of one side of a comparison, and what could not be read (a file missing, an object not in the cache). */
export interface TrackedSide {
  readonly values: readonly TrackedValue[];
  readonly problems: readonly string[];
  /** Files the side has but whose bytes could not be read: their values there are unknown, not absent. */
  readonly unread: ReadonlySet<string>;
}

/** Where values are read from: the workspace, or a git revision. */
export type Side =
  | { readonly kind: "workspace" }
  | { readonly kind: "revision"; readonly rev: string }
  /** An experiment (`sluice exp`): its outputs are those of the run records its stages' keys name. */
  | { readonly kind: "experiment"; readonly name: string; readonly stages: readonly { readonly id: string; readonly key: string }[] };

/** The declared keys of every params file of the workspace, by workspace path (a union over the stages that read it). */
export function declaredParams(workspace: Workspace): Map<string, { format: ParamsFormat; keys: Set<string> }> {
  const files = new Map<string, { format: ParamsFormat; keys: Set<string> }>();
  for (const stage of workspace.stages.values()) {
    for (const file of stage.paramsFiles) {
      const entry = files.get(file.path) ?? { format: file.format, keys: new Set<string>() };
      for (const key of file.keys) entry.keys.add(key);
      files.set(file.path, entry);
    }
  }
  return files;
}

/** The named keys' values of every params file on one side. */
export function paramsOn(workspace: Workspace, side: Side): TrackedSide {
  const values: TrackedValue[] = [];
  const problems: string[] = [];
  const unread = new Set<string>();
  for (const [path, { format, keys }] of [...declaredParams(workspace)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const read = readSide(workspace.root, side, path, format);
    if (!read.ok) {
      problems.push(`${path} ${read.problem}`);
      if (!read.absent) unread.add(path);
      continue;
    }
    for (const key of [...keys].sort()) {
      const selected = selectKey(read.value, key);
      if (selected.ok) values.push({ path, key, value: selected.value });
    }
  }
  return { values, problems, unread };
}

/** Every leaf of every declared metrics file on one side, in stage then file order. */
export async function metricsOn(workspace: Workspace, files: OutputFiles): Promise<TrackedSide> {
  const values: TrackedValue[] = [];
  const problems: string[] = [];
  const unread = new Set<string>();
  for (const stage of workspace.stages.values()) {
    for (const metrics of stage.metrics) {
      const bytes = await files.read(stage, metrics, MAX_METRICS_BYTES);
      const read = bytes.ok ? parseStructured(bytes.bytes.toString("utf8"), metrics.format) : bytes;
      if (!read.ok) {
        problems.push(`${metrics.path} (${stage.id}) ${read.problem}`);
        if (bytes.ok || !bytes.absent) unread.add(metrics.path);
        continue;
      }
      for (const [key, value] of leaves(read.value)) values.push({ path: metrics.path, key, value });
    }
  }
  return { values, problems, unread };
}

/** A params file on one side, parsed. */
function readSide(root: string, side: Side, path: string, format: ParamsFormat): { ok: true; value: Json } | { ok: false; problem: string; absent?: true } {
  if (side.kind === "workspace") return readStructuredFile(join(root, path), format);
  if (side.kind === "experiment") return { ok: false, problem: `is not kept for experiment ${side.name} (sluice exp show lists its params)` };
  const file = revisionFile(root, side.rev, path);
  if (file.kind === "absent") return { ok: false, problem: `is not in ${side.rev}`, absent: true };
  if (file.kind === "error") return { ok: false, problem: file.problem };
  return parseStructured(file.text, format);
}

/** The leaves of a document by dotted key (a list is one leaf). */
function leaves(document: Json, prefix = ""): [string, Json][] {
  if (document === null || typeof document !== "object" || Array.isArray(document)) return [[prefix || "value", document]];
  return Object.entries(document).flatMap(([name, value]) => leaves(value, prefix ? `${prefix}.${name}` : name));
}

/** One row of a comparison: a value on each side (undefined where absent), and the change of a number. */
export interface ValueChange {
  readonly path: string;
  readonly key: string;
  readonly old: Json | undefined;
  readonly new: Json | undefined;
  /** new - old, when both are numbers. */
  readonly delta: number | undefined;
  readonly changed: boolean;
  /** Set when a side's file could not be read (see problems): its value is unknown there, and nothing is said to have changed. */
  readonly unknown?: "a" | "b";
}

/** Both sides' values row by row, in the order they were found. */
export function compareValues(a: TrackedSide, b: TrackedSide): ValueChange[] {
  const id = (v: TrackedValue) => `${v.path}\u0000${v.key}`;
  const before = new Map(a.values.map((v) => [id(v), v]));
  const after = new Map(b.values.map((v) => [id(v), v]));
  const rows: ValueChange[] = [];
  for (const v of [...b.values, ...a.values.filter((x) => !after.has(id(x)))]) {
    const [old, now] = [before.get(id(v))?.value, after.get(id(v))?.value];
    const unknown = old === undefined && a.unread.has(v.path) ? "a" : now === undefined && b.unread.has(v.path) ? "b" : undefined;
    if (unknown) {
      rows.push({ path: v.path, key: v.key, old, new: now, delta: undefined, changed: false, unknown });
      continue;
    }
    const delta = typeof old === "number" && typeof now === "number" ? round(now - old) : undefined;
    rows.push({ path: v.path, key: v.key, old, new: now, delta, changed: JSON.stringify(old) !== JSON.stringify(now) });
  }
  return rows;
}

/** Whether a diff lists the row without `--all`: it changed, or one side could not say. */
export function listedByDefault(row: ValueChange): boolean {
  return row.changed || row.unknown !== undefined;
}

/** Float noise off a difference (0.30000000000000004 - 0.1). */
function round(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}
