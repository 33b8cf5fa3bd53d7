/**
 * `sluice gc`: drop run records and objects that neither sluice.lock, the
 * last K runs, a recorded experiment nor any registered release references.
 */
import type { Argv, CommandModule } from "yargs";
import { collectGarbage, openCache } from "../../cache/index.js";
import { findWorkspaceRoot } from "../../pipeline/index.js";
import { formatBytes, writeOut } from "../../report/index.js";
import { acquireLock } from "../../util/file-lock.js";
import { loadExperiments } from "../../ops/index.js";
import { usageError, type GlobalOptions } from "../context.js";
import { exitWithFailure } from "../exit-code.js";

interface GcArgs extends GlobalOptions {
  readonly keep: number;
  readonly dryRun: boolean;
}

const command: CommandModule<GlobalOptions, GcArgs> = {
  command: "gc",
  describe: "Remove cache entries no recent run, sluice.lock, experiment or release references",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("keep", { type: "number", default: 5, describe: "keep the records of the last K runs (0: only what sluice.lock and releases reference)" })
      .option("dry-run", { alias: "n", type: "boolean", default: false, describe: "report what would be removed" }) as unknown as Argv<GcArgs>,
  handler: async (argv) => {
    if (!Number.isInteger(argv.keep) || argv.keep < 0) return void usageError(`--keep must be a whole number of runs, 0 or more (got ${argv.keep})`);
    const root = findWorkspaceRoot(argv.cwd ?? process.cwd());
    if (!root) return void usageError("no sluice workspace here (a folder with pipeline.ts and package.json)");
    const cache = await openCache(root);
    const lock = await acquireLock(cache.layout.lock, { wait: true });
    if (!lock.ok) return void usageError("the workspace is locked by another process");
    try {
      // gc must never remove an object a release references; the registry is imported here, not by every command.
      const { pinnedDigests } = await import("../../registry/index.js");
      const pinned = new Set(await pinnedDigests(root));
      // The experiments' results stay until `exp remove`; a corrupt list refuses rather than drop them.
      const keepKeys = (await loadExperiments()).experimentKeys(root);
      if (!keepKeys.ok) return void exitWithFailure(keepKeys.error);
      const report = await collectGarbage(cache, { keepRuns: argv.keep, pinned, keepKeys: keepKeys.value, dryRun: argv.dryRun });
      if (argv.json) return void writeOut(JSON.stringify({ dryRun: argv.dryRun, pinned: pinned.size, ...report }, null, 2));
      const verb = argv.dryRun ? "would remove" : "removed";
      writeOut(`${verb} ${report.records.removed} run records and ${report.objects.removed} objects (${formatBytes(report.objects.bytesFreed)}); kept ${report.records.kept} records, ${report.objects.kept} objects (${pinned.size} pinned by releases)`);
    } finally {
      await lock.lock.release();
    }
  },
};

export default command;
