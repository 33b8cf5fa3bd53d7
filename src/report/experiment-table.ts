/**
 * `sluice exp show` as a table: one row per experiment under the workspace
 * (the baseline), its params then its metrics, a cell that differs from the
 * baseline marked `*`. Params no experiment changed are left out unless
 * asked for (`--all`), so the columns that explain the metrics stand out.
 */
import { table } from "./terminal.js";

type Value = string | number | boolean | null | readonly Value[] | { readonly [key: string]: Value };

/** A row as the table shows it: a column id (`<path>:<key>`) -> value. */
export interface ShownExperiment {
  readonly name: string;
  readonly status: string;
  readonly params: Readonly<Record<string, Value>>;
  readonly metrics: Readonly<Record<string, Value>>;
  readonly changed: readonly string[];
}

export interface ShownExperimentTable {
  readonly columns: { readonly params: readonly string[]; readonly metrics: readonly string[] };
  readonly baseline: ShownExperiment;
  readonly experiments: readonly ShownExperiment[];
}

export function renderExperimentTable(shown: ShownExperimentTable, options: { readonly allParams: boolean }): string {
  const rows = [shown.baseline, ...shown.experiments];
  const params = shown.columns.params.filter((id) => options.allParams || shown.experiments.some((r) => r.changed.includes(id)));
  const metrics = shown.columns.metrics;
  const labels = columnLabels([...params, ...metrics]);
  const header = ["Experiment", "Status", ...params.map((id) => labels.get(id) ?? id), ...metrics.map((id) => labels.get(id) ?? id)];
  const body = rows.map((r) => [
    r.name,
    r.status,
    ...params.map((id) => cell(r.params[id], r.changed.includes(id))),
    ...metrics.map((id) => cell(r.metrics[id], r.changed.includes(id))),
  ]);
  const marked = shown.experiments.some((r) => r.changed.length > 0);
  return `${table([header, ...body])}${marked ? "\n\n* differs from the workspace" : ""}`;
}

/** What `exp run` built: one line per experiment, its status and how its stages went (`1 restored, 3 ran`). */
export function renderBuiltExperiments(built: readonly { readonly name: string; readonly status: string; readonly stages: readonly { readonly status: string }[] }[]): string {
  const counts = (stages: readonly { readonly status: string }[]) =>
    [...new Set(stages.map((s) => s.status))].map((status) => `${stages.filter((s) => s.status === status).length} ${status}`).join(", ");
  return table(built.map((e) => [e.name, e.status, counts(e.stages)]));
}

/** A column's key alone (`train.lr`) where no other column shows the same key, its whole id otherwise. */
function columnLabels(ids: readonly string[]): Map<string, string> {
  const keyOf = (id: string) => id.slice(id.indexOf(":") + 1);
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(keyOf(id), (counts.get(keyOf(id)) ?? 0) + 1);
  return new Map(ids.map((id) => [id, counts.get(keyOf(id)) === 1 ? keyOf(id) : id]));
}

/** A value as a cell: numbers to four decimals (the `--json` document has them whole), `-` where there is none. */
function cell(value: Value | undefined, changed: boolean): string {
  if (value === undefined) return "-";
  const text = typeof value === "number" && !Number.isInteger(value) ? String(Number(value.toFixed(4))) : typeof value === "string" ? value : JSON.stringify(value);
  return changed ? `${text}*` : text;
}
