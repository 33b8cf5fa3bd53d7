/**
 * What `exp show` and `exp diff` read: each experiment's params and metrics
 * beside the workspace's (the baseline: its params files and the metrics
 * files its last declared run left), by column id `<path>:<key>`
 * (`params.yaml:train.lr`, `eval/metrics.json:avg_prec`; a pipeline.ts
 * param is `pipeline.ts:<stage id>.<param>`).
 */
import { openCache, parseStageKey, type CacheSession } from "../cache/index.js";
import type { Json, StageId, Workspace } from "../pipeline/index.js";
import { didYouMean } from "../util/did-you-mean.js";
import { ok } from "../util/result.js";
import { readExperiments, type Experiment, type ExperimentValue } from "./experiments-file.js";
import { refuse, type OpResult } from "./failure.js";
import { compareValues, metricsOn, paramsOn, type TrackedSide, type ValueChange } from "./tracked-values.js";
import { workspaceFiles } from "./output-files.js";

/** The name the baseline row goes by (in `exp diff` too). */
export const BASELINE = "workspace";

/** The file a pipeline.ts param's value is shown under. */
export const PIPELINE_PARAMS = "pipeline.ts";

/** One row of `exp show`: the baseline or an experiment. */
export interface ExperimentRow {
  readonly name: string;
  readonly status: "baseline" | Experiment["status"];
  /** The `--set` values it ran with (none for the baseline). */
  readonly set: readonly string[];
  readonly queuedAt: string | null;
  readonly finishedAt: string | null;
  /** Column id -> value. */
  readonly params: Readonly<Record<string, Json>>;
  readonly metrics: Readonly<Record<string, Json>>;
  /** The column ids whose value differs from the baseline's. */
  readonly changed: readonly string[];
}

/** The `exp show --json` document. */
export interface ExperimentTable {
  /** Column ids, in file then key order. */
  readonly columns: { readonly params: readonly string[]; readonly metrics: readonly string[] };
  readonly baseline: ExperimentRow;
  readonly experiments: readonly ExperimentRow[];
}

/** The sort of `exp show --sort`: a metrics column (its id or its key alone), largest first unless ascending. */
export interface ExperimentSort {
  readonly metric: string;
  readonly ascending: boolean;
}

/** The table of every recorded experiment against the workspace. */
export async function experimentTable(workspace: Workspace, sort: ExperimentSort | undefined): Promise<OpResult<ExperimentTable>> {
  const recorded = readExperiments(workspace.root);
  if (!recorded.ok) return recorded;
  const base = await baselineSide(workspace, recorded.value);
  const baseRow = row({ name: BASELINE, status: "baseline", set: [], queuedAt: null, finishedAt: null }, base.params.values, base.metrics.values, undefined);
  const completed = await withPipelineParams(workspace.root, recorded.value);
  let rows = completed.map((e) =>
    row({ name: e.name, status: e.status, set: e.set, queuedAt: e.queuedAt, finishedAt: e.finishedAt ?? null }, e.params, e.metrics, baseRow),
  );
  const columns = {
    params: columnsOf([baseRow, ...rows].map((r) => r.params)),
    metrics: columnsOf([baseRow, ...rows].map((r) => r.metrics)),
  };
  if (sort) {
    // A metric by its whole column id, by its key alone, or by the end of its file's path and its key (`eval/metrics.json:acc`).
    const column = columns.metrics.find((c) => c === sort.metric) ?? columns.metrics.find((c) => c.endsWith(`:${sort.metric}`) || c.endsWith(`/${sort.metric}`));
    if (!column) return refuse("usage", `--sort ${sort.metric}: no such metric${didYouMean(sort.metric, columns.metrics.map((c) => c.slice(c.lastIndexOf(":") + 1)))} (metrics: ${columns.metrics.join(", ") || "none"})`);
    rows = sortRows(rows, column, sort.ascending);
  }
  return ok({ columns, baseline: baseRow, experiments: rows });
}

/** Params and metrics of two experiments (or of one and the workspace), compared. */
export async function diffExperiments(workspace: Workspace, a: string, b: string): Promise<OpResult<{ params: ValueChange[]; metrics: ValueChange[] }>> {
  const recorded = readExperiments(workspace.root);
  if (!recorded.ok) return recorded;
  const sides: { params: TrackedSide; metrics: TrackedSide }[] = [];
  const completed = await withPipelineParams(workspace.root, recorded.value);
  for (const name of [a, b]) {
    if (name === BASELINE) {
      sides.push(await baselineSide(workspace, recorded.value));
      continue;
    }
    const found = completed.find((e) => e.name === name);
    if (!found) return refuse("usage", unknownExperiment(name, recorded.value));
    sides.push({ params: { values: found.params, problems: [], unread: new Set() }, metrics: { values: found.metrics, problems: [], unread: new Set() } });
  }
  const [sideA, sideB] = sides as [(typeof sides)[0], (typeof sides)[0]];
  return ok({ params: compareValues(sideA.params, sideB.params), metrics: compareValues(sideA.metrics, sideB.metrics) });
}

/** "no experiment named x", with the nearest name and how to list them. */
export function unknownExperiment(name: string, recorded: readonly Experiment[]): string {
  const names = recorded.map((e) => e.name);
  return `no experiment named ${name}${didYouMean(name, [...names, BASELINE])}${names.length === 0 ? " (none recorded: sluice exp run --set <key>=<value>)" : " (sluice exp show lists them)"}`;
}

/** The workspace's side: its params files, the pipeline.ts params some experiment set (as declared), its metrics files. */
async function baselineSide(workspace: Workspace, recorded: readonly Experiment[]): Promise<{ params: TrackedSide; metrics: TrackedSide }> {
  const params = paramsOn(workspace, { kind: "workspace" });
  const declared = new Map<string, ExperimentValue>();
  for (const value of recorded.flatMap((e) => e.params).filter((p) => p.path === PIPELINE_PARAMS)) {
    const dot = value.key.lastIndexOf(".");
    const stage = workspace.stages.get(value.key.slice(0, dot) as StageId);
    const param = value.key.slice(dot + 1);
    if (stage && Object.hasOwn(stage.params, param)) declared.set(value.key, { path: PIPELINE_PARAMS, key: value.key, value: stage.params[param] as Json });
  }
  const metrics = await metricsOn(workspace, workspaceFiles(workspace.root));
  return { params: { ...params, values: [...params.values, ...declared.values()] }, metrics };
}

/**
 * The experiments, each with the value it ran with for every pipeline.ts
 * param another experiment set: an experiment records only the pipeline.ts
 * params it set itself, and without the others a diff of two would show
 * such a param as added or removed. The value comes from the key components
 * in the run record of the experiment's stage; where that record is gone the
 * param stays absent.
 */
async function withPipelineParams(root: string, recorded: readonly Experiment[]): Promise<Experiment[]> {
  const keys = new Set(recorded.flatMap((e) => e.params).filter((p) => p.path === PIPELINE_PARAMS).map((p) => p.key));
  if (keys.size === 0) return [...recorded];
  let cache: CacheSession | undefined;
  const completed: Experiment[] = [];
  for (const experiment of recorded) {
    const missing = [...keys].filter((key) => !experiment.params.some((p) => p.path === PIPELINE_PARAMS && p.key === key));
    const found: ExperimentValue[] = [];
    for (const key of missing) {
      const dot = key.lastIndexOf(".");
      const stageKey = parseStageKey(experiment.stages.find((s) => s.id === key.slice(0, dot))?.key ?? "");
      if (!stageKey) continue;
      cache ??= await openCache(root);
      const params = (await cache.records.get(stageKey)).record?.components.params;
      const param = key.slice(dot + 1);
      if (params && Object.hasOwn(params, param)) found.push({ path: PIPELINE_PARAMS, key, value: params[param] as Json });
    }
    completed.push(found.length > 0 ? { ...experiment, params: [...experiment.params, ...found] } : experiment);
  }
  return completed;
}

function row(
  head: Pick<ExperimentRow, "name" | "status" | "set" | "queuedAt" | "finishedAt">,
  params: readonly ExperimentValue[],
  metrics: readonly ExperimentValue[],
  baseline: ExperimentRow | undefined,
): ExperimentRow {
  const byId = (values: readonly ExperimentValue[]) => Object.fromEntries(values.map((v) => [`${v.path}:${v.key}`, v.value]));
  const [p, m] = [byId(params), byId(metrics)];
  const differs = (mine: Record<string, Json>, theirs: Readonly<Record<string, Json>>) =>
    Object.keys(mine).filter((id) => JSON.stringify(mine[id]) !== JSON.stringify(theirs[id]));
  // A queued experiment has no values yet: nothing of it differs.
  const changed = baseline && head.status !== "queued" ? [...differs(p, baseline.params), ...differs(m, baseline.metrics)] : [];
  return { ...head, params: p, metrics: m, changed };
}

/** Every column id some row has, in the order first seen. */
function columnsOf(rows: readonly Readonly<Record<string, Json>>[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))];
}

/** Numbers by `column`, largest first (or smallest); rows without a number last, in recorded order. */
function sortRows(rows: readonly ExperimentRow[], column: string, ascending: boolean): ExperimentRow[] {
  const valueOf = (r: ExperimentRow) => r.metrics[column];
  return [...rows].sort((x, y) => {
    const [a, b] = [valueOf(x), valueOf(y)];
    if (typeof a !== "number" || typeof b !== "number") return (typeof a === "number" ? 0 : 1) - (typeof b === "number" ? 0 : 1);
    return ascending ? a - b : b - a;
  });
}
