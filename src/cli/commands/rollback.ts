/**
 * `sluice rollback <project> [--to <release>] --reason "…"`: production
 * back to the previous known-good release (or the named one). Nothing is
 * rebuilt; the alias file gets that release's whole manifest.
 */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { registryUsageError, withRegistryFailures } from "../registry-usage.js";
import { exitWith } from "../exit-code.js";

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
    const [registry, messages] = await Promise.all([import("../../registry/index.js"), import("../../report/index.js")]);
    const opened = await registry.openWorkspaceRegistry(argv.cwd ?? process.cwd());
    if (!opened.ok) return registryUsageError(messages, opened.error, argv.json);
    const handle = opened.value.registry;
    const rolled = await withRegistryFailures(messages, argv.json, () =>
      handle.rollback({ project: argv.project, alias: argv.alias, reason: argv.reason, ...(argv.to ? { to: argv.to } : {}) }),
    );
    if (!rolled) return;
    if (!rolled.ok) {
      messages.printRegistryError(registry.describeRefusal(rolled.error), argv.json, rolled.error);
      exitWith(registry.isUsageRefusal(rolled.error) ? "usage" : "failed");
      return;
    }
    const { from, to } = rolled.value;
    const manifest = to === null ? undefined : (await handle.state()).release(argv.project, to)?.manifest;
    messages.printRegistryResult(
      argv.json,
      { ok: true, project: argv.project, alias: argv.alias, from, to, reason: argv.reason, aliasFile: registry.aliasFilePath(argv.project, argv.alias), manifest },
      `${argv.project}@${argv.alias}: ${from ?? "(unset)"} -> ${to} (rolled back: ${argv.reason}); ${registry.aliasFilePath(argv.project, argv.alias)} restored`,
    );
  },
};

export default command;
