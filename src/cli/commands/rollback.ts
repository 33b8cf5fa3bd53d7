/**
 * `sluice rollback <project> [--to <release>] --reason "…"`: production
 * back to the previous known-good release (or the named one). Nothing is
 * rebuilt; the alias file gets that release's whole manifest.
 */
import { rollbackAlias } from "../../ops/index.js";
import { defineCommand } from "../command-args.js";
import { printOutcome } from "../registry-output.js";

const command = defineCommand({
  command: "rollback <project>",
  describe: "Re-point production at the previous known-good release (no rebuild)",
  builder: (y) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .option("to", { type: "string", describe: "a named earlier release (default: the previous known-good one)" })
      .option("alias", { type: "string", default: "production", describe: "the alias to roll back" })
      .option("reason", { type: "string", demandOption: true, describe: "why, for the record" }),
  handler: async (argv) => {
    const { renderRollback } = await import("../../dashboard/index.js");
    const request = { project: argv.project, alias: argv.alias, to: argv.to, reason: argv.reason };
    printOutcome(argv.json, await rollbackAlias(argv.cwd ?? process.cwd(), request), renderRollback);
  },
});

export default command;
