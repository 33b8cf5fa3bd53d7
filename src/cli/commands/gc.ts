/**
 * `sluice gc`: drop run records and objects that neither sluice.lock, the
 * last K runs, a recorded experiment nor any registered release references.
 */
import { collectGarbage } from "../../ops/index.js";
import { formatBytes, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "gc",
  describe: "Remove cache entries no recent run, sluice.lock, experiment or release references",
  builder: (yargs) =>
    yargs
      .option("keep", { type: "number", default: 5, describe: "keep the records of the last K runs (0: only what sluice.lock and releases reference)" })
      .option("dry-run", { alias: "n", type: "boolean", default: false, describe: "report what would be removed" }),
  handler: async (argv) => {
    const collected = await collectGarbage(argv.cwd ?? process.cwd(), { keep: argv.keep, dryRun: argv.dryRun });
    if (!collected.ok) return exitWithFailure(collected.error);
    const report = collected.value;
    if (argv.json) return void writeOut(JSON.stringify(report, null, 2));
    const verb = report.dryRun ? "would remove" : "removed";
    writeOut(`${verb} ${report.records.removed} run records and ${report.objects.removed} objects (${formatBytes(report.objects.bytesFreed)}); kept ${report.records.kept} records, ${report.objects.kept} objects (${report.pinned} pinned by releases)`);
  },
});

export default command;
