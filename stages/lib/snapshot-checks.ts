/**
 * The checks every validate_snapshot stage runs, each turning data into a
 * gate artifact with evidence: schema (zod, row by row), freshness against
 * the cutoff, leakage (features computed after their as-of time or the
 * cutoff; one group on both sides of the split) and row counts.
 */
import type { z } from "zod";
import type { CsvTable } from "./csv.js";
import { countGate, thresholdGate, type Evidence, type Gate } from "./gate.js";
import { round } from "./numbers.js";

/** How many offending rows a gate quotes; the counts are always complete. */
export const MAX_OFFENDERS = 10;

/** One table to check against its row schema. */
export interface SchemaTable {
  readonly name: string;
  readonly table: CsvTable;
  /** Parses one raw row (strings); coercion happens in the schema. */
  readonly schema: z.ZodType;
  /** Columns the file must have, in order. */
  readonly columns: readonly string[];
  /** Digest of the file, for the evidence. */
  readonly digest: string;
}

/** `schema_valid`: every row of every table parses and the headers are exact. */
export function schemaGate(tables: readonly SchemaTable[], name = "schema_valid"): Gate {
  let checked = 0;
  let violations = 0;
  const offending: Evidence[] = [];
  const perTable: Evidence = {};
  for (const { name: tableName, table, schema, columns, digest } of tables) {
    let bad = 0;
    const headerOk = table.columns.length === columns.length && table.columns.every((c, i) => c === columns[i]);
    if (!headerOk) {
      bad++;
      offending.push({ table: tableName, line: 1, issues: [`header is [${table.columns.join(",")}], expected [${columns.join(",")}]`] });
    }
    table.rows.forEach((row, i) => {
      checked++;
      const parsed = schema.safeParse(row);
      const ragged = table.ragged.includes(i + 2);
      if (parsed.success && !ragged) return;
      bad++;
      if (offending.length < MAX_OFFENDERS) {
        const issues = parsed.success ? [] : parsed.error.issues.map((iss) => `${iss.path.join(".") || "row"}: ${iss.message}`);
        if (ragged) issues.push(`expected ${columns.length} cells`);
        offending.push({ table: tableName, line: i + 2, issues });
      }
    });
    violations += bad;
    perTable[tableName] = { rows: table.rows.length, violations: bad, digest };
  }
  return countGate(name, violations, violations === 0 ? `all ${checked} rows match their schema` : `${violations} of ${checked} rows violate their schema`, {
    evidence: { rows_checked: checked, tables: perTable, offending },
  });
}

/** Input to {@link freshnessGate}. */
export interface FreshnessInput {
  /** Epoch ms of every event timestamp in the snapshot (NaN entries are ignored: schema's job). */
  readonly timestamps: readonly number[];
  readonly cutoffMs: number;
  /** The newest event may be at most this many hours before the cutoff. */
  readonly maxLagHours: number;
  readonly name?: string;
}

/**
 * `freshness`: the snapshot reaches the cutoff (newest event within the
 * allowed lag) and holds nothing after it. Value is the lag in hours.
 */
export function freshnessGate(input: FreshnessInput): Gate {
  const name = input.name ?? "freshness";
  let latest = Number.NEGATIVE_INFINITY;
  let after = 0;
  for (const t of input.timestamps) {
    if (!Number.isFinite(t)) continue;
    if (t > input.cutoffMs) after++;
    else if (t > latest) latest = t;
  }
  const lag = (input.cutoffMs - latest) / 3_600_000;
  const evidence: Evidence = {
    cutoff: new Date(input.cutoffMs).toISOString(),
    latest_event: Number.isFinite(latest) ? new Date(latest).toISOString() : null,
    events_after_cutoff: after,
    events_checked: input.timestamps.length,
  };
  const gate = thresholdGate(name, Number.isFinite(lag) ? lag : Number.NaN, "at_most", input.maxLagHours, { evidence, digits: 2 });
  if (after === 0) return gate;
  return { ...gate, passed: false, evidence: { ...gate.evidence, why: `${after} events are dated after the cutoff ${evidence["cutoff"]}` } };
}

/** A feature row's provenance, for the as-of leakage check. */
export interface AsOfRow {
  readonly id: string;
  /** When the prediction is made: features may only use events up to here. */
  readonly asOfMs: number;
  /** Newest event any feature of the row was computed from. */
  readonly sourceMaxMs: number;
}

/** Input to {@link leakageGate}. */
export interface LeakageInput {
  readonly rows: readonly AsOfRow[];
  readonly cutoffMs: number;
  /** Group id (shipment, query) per split; a group on two sides leaks. */
  readonly groups: readonly { readonly group: string; readonly split: string }[];
  readonly name?: string;
  /** What a group is called in the evidence (`shipment`). */
  readonly groupLabel?: string;
}

/**
 * `no_leakage`: no feature computed from events after its as-of time or after
 * the cutoff, and no group (shipment, query) in more than one split.
 */
export function leakageGate(input: LeakageInput): Gate {
  const future = input.rows.filter((r) => !(r.sourceMaxMs <= r.asOfMs) || !(r.sourceMaxMs <= input.cutoffMs));
  const splitsByGroup = new Map<string, Set<string>>();
  for (const { group, split } of input.groups) {
    const set = splitsByGroup.get(group) ?? new Set<string>();
    set.add(split);
    splitsByGroup.set(group, set);
  }
  const shared = [...splitsByGroup].filter(([, splits]) => splits.size > 1).map(([g, s]) => ({ group: g, splits: [...s].sort() }));
  shared.sort((a, b) => (a.group < b.group ? -1 : 1));
  const label = input.groupLabel ?? "group";
  const problems = future.length + shared.length;
  const why =
    problems === 0
      ? `no feature uses events after its as-of time or the cutoff; every ${label} sits in one split`
      : [
          future.length > 0 ? `${future.length} feature rows use events after their as-of time or the cutoff` : "",
          shared.length > 0 ? `${shared.length} ${label}s appear in more than one split` : "",
        ]
          .filter(Boolean)
          .join("; ");
  return countGate(input.name ?? "no_leakage", problems, why, {
    evidence: {
      rows_checked: input.rows.length,
      future_feature_rows: future.length,
      shared_groups: shared.length,
      offending_rows: future.slice(0, MAX_OFFENDERS).map((r) => ({
        id: r.id,
        as_of: isoOrNull(r.asOfMs),
        source_max: isoOrNull(r.sourceMaxMs),
      })),
      offending_groups: shared.slice(0, MAX_OFFENDERS),
    },
  });
}

/** `min_rows`: enough rows (overall and in the smallest split) to train and judge. */
export function minRowsGate(counts: Readonly<Record<string, number>>, minTotal: number, minPerSplit: number, name = "min_rows"): Gate {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const smallest = Object.entries(counts).sort((a, b) => a[1] - b[1])[0];
  const gate = thresholdGate(name, total, "at_least", minTotal, { evidence: { per_split: { ...counts }, min_per_split: minPerSplit }, digits: 0 });
  if (!gate.passed || smallest === undefined || smallest[1] >= minPerSplit) return gate;
  return { ...gate, passed: false, evidence: { ...gate.evidence, why: `split ${smallest[0]} has ${smallest[1]} rows, fewer than ${minPerSplit}` } };
}

/** Share helper for evidence. */
export function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : round(part / whole, 6);
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
