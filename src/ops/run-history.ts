/**
 * The run history read back: the newest executed stages (`sluice runs`),
 * and two runs side by side (`sluice runs diff`), params, metrics, inputs
 * and outputs flattened into comparable rows.
 */
import { cacheLayout, readHistory, type HistoryEntry } from "../cache/index.js";
import { globToRegExp } from "../graph/index.js";
import { workspaceRootAt } from "./load-workspace.js";
import { formatDuration } from "../report/index.js";
import { didYouMean } from "../util/did-you-mean.js";
import { refuse, type OpResult } from "./failure.js";

async function history(cwd: string): Promise<OpResult<HistoryEntry[]>> {
  const root = workspaceRootAt(cwd);
  if (!root.ok) return root;
  return { ok: true, value: await readHistory(cacheLayout(root.value).history) };
}

/** The newest `limit` runs of the stages `stage` (an id or glob) names, oldest first. */
export async function listRuns(
  cwd: string,
  request: { readonly stage: string | undefined; readonly limit: number },
): Promise<OpResult<{ readonly runs: HistoryEntry[]; readonly none: string }>> {
  const entries = await history(cwd);
  if (!entries.ok) return entries;
  const pattern = request.stage ? globToRegExp(request.stage) : undefined;
  const runs = entries.value.filter((e) => !pattern || pattern.test(e.stage)).slice(-request.limit);
  // What to say when nothing matched: a stage named by mistake gets the nearest one that has runs.
  const recorded = new Set(entries.value.map((e) => e.stage));
  const none =
    request.stage === undefined || recorded.size === 0
      ? "no runs recorded yet"
      : `no runs of ${request.stage} recorded${/[*?]/.test(request.stage) ? "" : didYouMean(request.stage, recorded)}; \`sluice runs\` lists every stage's`;
  return { ok: true, value: { runs, none } };
}

export interface RunComparison {
  readonly a: HistoryEntry;
  readonly b: HistoryEntry;
  readonly rows: readonly { readonly field: string; readonly a: string; readonly b: string }[];
}

/** Two runs (by id or a prefix of one) side by side. */
export async function diffRuns(cwd: string, a: string, b: string): Promise<OpResult<RunComparison>> {
  const entries = await history(cwd);
  if (!entries.ok) return entries;
  const found: HistoryEntry[] = [];
  for (const id of [a, b]) {
    const hits = entries.value.filter((e) => e.run === id || e.run.startsWith(id));
    if (hits.length !== 1) return refuse("usage", hits.length === 0 ? `no run "${id}" (sluice runs lists them)` : `run id "${id}" is ambiguous`);
    found.push(hits[0] as HistoryEntry);
  }
  const [left, right] = found as [HistoryEntry, HistoryEntry];
  return { ok: true, value: { a: left, b: right, rows: sideBySide(left, right) } };
}

/** "local", or the executor with its job and node: "slurm job 42 on node7". */
export function whereRan(entry: HistoryEntry): string {
  if (!entry.executor) return "local";
  return `${entry.executor}${entry.job ? ` job ${entry.job}` : ""}${entry.node ? ` on ${entry.node}` : ""}`;
}

/** Flattens params, metrics, deps and outs of two runs into comparable rows. */
function sideBySide(a: HistoryEntry, b: HistoryEntry): { field: string; a: string; b: string }[] {
  const flat = (entry: HistoryEntry) => {
    const out = new Map<string, string>();
    const put = (prefix: string, value: unknown) => {
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) put(prefix ? `${prefix}.${k}` : k, v);
      } else out.set(prefix, JSON.stringify(value));
    };
    put("params", entry.params);
    put("metrics", entry.metrics ?? {});
    put("deps", entry.deps);
    put("outs", entry.outs);
    out.set("status", entry.status);
    out.set("where", whereRan(entry));
    out.set("duration", formatDuration(entry.durationMs));
    return out;
  };
  const [fa, fb] = [flat(a), flat(b)];
  const fields = [...new Set([...fa.keys(), ...fb.keys()])];
  return fields.map((field) => ({ field, a: fa.get(field) ?? "-", b: fb.get(field) ?? "-" }));
}
