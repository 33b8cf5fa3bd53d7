/**
 * `sluice params diff [revA [revB]]`: the values of the keys stages read
 * from params files, compared between git revisions and the workspace
 * (HEAD against the workspace by default). A revision's file is read with
 * `git show`, nothing is checked out.
 */
import { renderChanges, writeErr, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext, usageError } from "../context.js";
import { compareValues, listedByDefault, paramsOn, sidesOf } from "../../ops/index.js";

const diff = defineCommand({
  command: "diff [revA] [revB]",
  describe: "Compare the params stages read from params files between git revisions and the workspace (default: HEAD against the workspace)",
  builder: (yargs) =>
    yargs
      .positional("revA", { type: "string", describe: "a git revision (default HEAD)" })
      .positional("revB", { type: "string", describe: "a git revision (default: the workspace)" })
      .option("md", { type: "boolean", describe: "a Markdown table (to paste into a pull request)" })
      .option("all", { type: "boolean", describe: "list unchanged params too" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const sides = sidesOf(context.root, argv.revA, argv.revB);
    if (!sides.ok) return void usageError(sides.problem);
    const [a, b] = [paramsOn(context.workspace, sides.a.side), paramsOn(context.workspace, sides.b.side)];
    const problems = [...a.problems.map((p) => `${sides.a.label}: ${p}`), ...b.problems.map((p) => `${sides.b.label}: ${p}`)];
    const rows = compareValues(a, b).filter((r) => argv.all || listedByDefault(r));
    if (argv.json) return void writeOut(JSON.stringify({ a: sides.a.label, b: sides.b.label, params: rows, problems }, null, 2));
    for (const problem of problems) writeErr(`warning: ${problem}`);
    writeOut(rows.length === 0 ? `no params changed between ${sides.a.label} and ${sides.b.label}` : renderChanges(rows, { a: sides.a.label, b: sides.b.label }, argv.md === true));
  },
});

const command = defineCommand({
  command: "params",
  describe: "Params files: diff the keys stages read against a git revision",
  builder: (yargs) => yargs.command(diff).demandCommand(1, "name a subcommand: diff"),
  handler: () => undefined,
});

export default command;
