/**
 * `sluice rollback <project> [--to <release>] --reason "…"`: production
 * back to the previous known-good release (or the named one). Nothing is
 * rebuilt; the alias file gets that release's whole manifest.
 */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { rollbackAlias } from "../../ops/index.js";
import { printOutcome } from "../registry-output.js";

interface RollbackArgs extends GlobalOptions {
  readonly project: string;
  readonly to?: string;
  readonly alias: string;
  readonly reason: string;
}

const command: CommandModule<GlobalOptions, RollbackArgs> = {
  command: "rollback <project>",
  describe: "Re-point production at the previous known-good release (no rebuild)",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .option("to", { type: "string", describe: "a named earlier release (default: the previous known-good one)" })
      .option("alias", { type: "string", default: "production", describe: "the alias to roll back" })
      .option("reason", { type: "string", demandOption: true, describe: "why, for the record" }) as unknown as Argv<RollbackArgs>,
  handler: async (argv) => {
    const { renderRollback } = await import("../../dashboard/index.js");
    const request = { project: argv.project, alias: argv.alias, to: argv.to, reason: argv.reason };
    printOutcome(argv.json, await rollbackAlias(argv.cwd ?? process.cwd(), request), renderRollback);
  },
};

export default command;
