/**
 * `sluice runs [stage]` lists executed stages from the run history;
 * `sluice runs diff <run> <run>` shows params and metrics side by side.
 */
import type { Argv, CommandModule } from "yargs";
import { cacheLayout, readHistory, type HistoryEntry } from "../../cache/index.js";
import { globToRegExp } from "../../graph/index.js";
import { formatDuration, renderRunsTable, table, writeOut } from "../../report/index.js";
import { findWorkspaceRoot } from "../../pipeline/index.js";
import { usageError, type GlobalOptions } from "../context.js";

interface RunsArgs extends GlobalOptions {
  readonly stage?: string;
  readonly limit: number;
  readonly wide: boolean;
}

interface DiffArgs extends GlobalOptions {
  readonly a: string;
  readonly b: string;
}

async function history(argv: GlobalOptions): Promise<HistoryEntry[] | undefined> {
  const root = findWorkspaceRoot(argv.cwd ?? process.cwd());
  if (!root) return usageError("no sluice workspace here (a folder with pipeline.ts and package.json)");
  return readHistory(cacheLayout(root).history);
}

const list: CommandModule<GlobalOptions, RunsArgs> = {
  command: "$0 [stage]",
  describe: "List executed stages: run id, status, duration, params, metrics",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("stage", { type: "string", describe: "a stage id or glob (eta:train, *:train)" })
      .option("limit", { type: "number", default: 50, describe: "show the newest N runs" })
      .option("wide", { type: "boolean", default: false, describe: "every param in full (rows then exceed 120 columns)" }) as unknown as Argv<RunsArgs>,
  handler: async (argv) => {
    const entries = await history(argv);
    if (!entries) return;
    const pattern = argv.stage ? globToRegExp(argv.stage) : undefined;
    const shown = entries.filter((e) => !pattern || pattern.test(e.stage)).slice(-argv.limit);
    if (argv.json) return void writeOut(JSON.stringify({ runs: shown }, null, 2));
    if (shown.length === 0) return void writeOut("no runs recorded yet");
    writeOut(renderRunsTable(shown.map((e) => ({ ...e, where: where(e) })), { wide: argv.wide }));
  },
};

const diff: CommandModule<GlobalOptions, DiffArgs> = {
  command: "diff <a> <b>",
  describe: "Compare two runs: params, metrics, inputs and outputs side by side",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs.positional("a", { type: "string", demandOption: true }).positional("b", { type: "string", demandOption: true }) as unknown as Argv<DiffArgs>,
  handler: async (argv) => {
    const entries = await history(argv);
    if (!entries) return;
    const find = (id: string) => entries.filter((e) => e.run === id || e.run.startsWith(id));
    const [a, b] = [find(argv.a), find(argv.b)];
    for (const [id, hits] of [[argv.a, a], [argv.b, b]] as const) {
      if (hits.length !== 1) return void usageError(hits.length === 0 ? `no run "${id}" (sluice runs lists them)` : `run id "${id}" is ambiguous`);
    }
    const [left, right] = [a[0] as HistoryEntry, b[0] as HistoryEntry];
    const rows = sideBySide(left, right);
    if (argv.json) return void writeOut(JSON.stringify({ a: left, b: right, rows }, null, 2));
    writeOut(table([["", left.run, right.run], ["stage", left.stage, right.stage], ...rows.map((r) => [r.field, r.a, r.b + (r.a === r.b ? "" : "   *")])]));
  },
};

/** "local", or the executor with its job and node: "slurm job 42 on node7". */
function where(entry: HistoryEntry): string {
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
    out.set("where", where(entry));
    out.set("duration", formatDuration(entry.durationMs));
    return out;
  };
  const [fa, fb] = [flat(a), flat(b)];
  const fields = [...new Set([...fa.keys(), ...fb.keys()])];
  return fields.map((field) => ({ field, a: fa.get(field) ?? "-", b: fb.get(field) ?? "-" }));
}

const command: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "runs",
  describe: "The run history: what ran, with which params, and its metrics",
  builder: (yargs: Argv<GlobalOptions>) => yargs.command(diff).command(list),
  handler: () => undefined,
};

export default command;
