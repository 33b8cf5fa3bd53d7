/**
 * `sluice runs [stage]` lists executed stages from the run history;
 * `sluice runs diff <run> <run>` shows params and metrics side by side.
 */
import { diffRuns, listRuns, whereRan } from "../../ops/index.js";
import { renderRunsTable, table, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { exitWithFailure } from "../exit-code.js";

const list = defineCommand({
  command: "$0 [stage]",
  describe: "List executed stages: run id, status, duration, params, metrics",
  builder: (yargs) =>
    yargs
      .positional("stage", { type: "string", describe: "a stage id or glob (eta:train, *:train)" })
      .option("limit", { type: "number", default: 50, describe: "show the newest N runs" })
      .option("wide", { type: "boolean", default: false, describe: "every param in full (rows then exceed 120 columns)" }),
  handler: async (argv) => {
    const runs = await listRuns(argv.cwd ?? process.cwd(), { stage: argv.stage, limit: argv.limit });
    if (!runs.ok) return exitWithFailure(runs.error);
    const { runs: entries, none } = runs.value;
    if (argv.json) return void writeOut(JSON.stringify({ runs: entries }, null, 2));
    if (entries.length === 0) return void writeOut(none);
    writeOut(renderRunsTable(entries.map((e) => ({ ...e, where: whereRan(e) })), { wide: argv.wide }));
  },
});

const diff = defineCommand({
  command: "diff <a> <b>",
  describe: "Compare two runs: params, metrics, inputs and outputs side by side",
  builder: (yargs) =>
    yargs.positional("a", { type: "string", demandOption: true }).positional("b", { type: "string", demandOption: true }),
  handler: async (argv) => {
    const compared = await diffRuns(argv.cwd ?? process.cwd(), argv.a, argv.b);
    if (!compared.ok) return exitWithFailure(compared.error);
    const { a, b, rows } = compared.value;
    if (argv.json) return void writeOut(JSON.stringify(compared.value, null, 2));
    writeOut(table([["", a.run, b.run], ["stage", a.stage, b.stage], ...rows.map((r) => [r.field, r.a, r.b + (r.a === r.b ? "" : "   *")])]));
  },
});

const command = defineCommand({
  command: "runs",
  describe: "The run history: what ran, with which params, and its metrics",
  builder: (yargs) => yargs.command(diff).command(list),
  handler: () => undefined,
});

export default command;
