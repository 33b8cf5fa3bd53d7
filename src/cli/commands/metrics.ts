/**
 * `sluice metrics show` prints the declared metrics files' values;
 * `sluice metrics diff [revA [revB]]` compares them between git revisions
 * and the workspace (HEAD against the workspace by default), with the
 * change of each number. A revision's values come from its sluice.lock and
 * the cache (local, else remote): nothing is checked out or rerun.
 */
import { renderChanges, renderValues, writeErr, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext } from "../context.js";
import { exitWithFailure } from "../exit-code.js";
import { REMOTE_CACHE_OPTION } from "../revision-options.js";
import { listedByDefault, metricsDiff, metricsShow } from "../../ops/index.js";

const md = { type: "boolean", describe: "a Markdown table (to paste into a pull request)" } as const;

const show = defineCommand({
  command: "show",
  describe: "The values of every declared metrics file in the workspace",
  builder: (yargs) => yargs.option("md", md),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const side = await metricsShow(context.workspace);
    if (argv.json) return void writeOut(JSON.stringify({ metrics: side.values, problems: side.problems }, null, 2));
    for (const problem of side.problems) writeErr(`warning: ${problem}`);
    writeOut(side.values.length === 0 && side.problems.length === 0 ? "no metrics declared (outs: { m: metrics(\"metrics.json\") })" : renderValues(side.values, argv.md === true));
  },
});

const diff = defineCommand({
  command: "diff [revA] [revB]",
  describe: "Compare metrics between git revisions and the workspace (default: HEAD against the workspace)",
  builder: (yargs) =>
    yargs
      .positional("revA", { type: "string", describe: "a git revision (default HEAD)" })
      .positional("revB", { type: "string", describe: "a git revision (default: the workspace)" })
      .option("md", md)
      .option("all", { type: "boolean", describe: "list unchanged values too" })
      .option("remote-cache", REMOTE_CACHE_OPTION),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const compared = await metricsDiff(context.workspace, argv.revA, argv.revB, argv);
    if (!compared.ok) return exitWithFailure(compared.error);
    const { a, b, problems } = compared.value;
    const rows = compared.value.rows.filter((r) => argv.all || listedByDefault(r));
    if (argv.json) return void writeOut(JSON.stringify({ a, b, metrics: rows, problems }, null, 2));
    for (const problem of problems) writeErr(`warning: ${problem}`);
    writeOut(rows.length === 0 ? `no metrics changed between ${a} and ${b}` : renderChanges(rows, { a, b }, argv.md === true));
  },
});

const command = defineCommand({
  command: "metrics",
  describe: "Metrics files: show their values, or diff them against a git revision",
  builder: (yargs) => yargs.command(show).command(diff).demandCommand(1, "name a subcommand: show or diff"),
  handler: () => undefined,
});

export default command;
