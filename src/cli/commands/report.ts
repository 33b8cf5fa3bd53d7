/**
 * `sluice report [--out report/index.html] [--open] [--json]`: one
 * self-contained HTML file with every project's DAG coloured by last status,
 * its release timeline, the gates of what is live, the monitoring plots and
 * the lineage of live releases.
 */
import { relative } from "node:path";
import { DEFAULT_REPORT, openInBrowser, writeReport } from "../../ops/index.js";
import { writeErr, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext } from "../context.js";
import { exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "report",
  describe: "Write a self-contained HTML report: DAG status, release timeline, live gates, monitoring plots, lineage",
  builder: (yargs) =>
    yargs
      .option("out", { type: "string", describe: `the HTML file to write (default: ${DEFAULT_REPORT} in the workspace)` })
      .option("open", { type: "boolean", default: false, describe: "open the report in a browser (xdg-open) once written" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const written = await writeReport(context, { out: argv.out, cwd: argv.cwd ?? process.cwd() });
    if (!written.ok) return exitWithFailure(written.error);
    const { out, notes } = written.value;
    for (const note of notes) writeErr(`warning: ${note}`);
    writeErr(`wrote ${relative(process.cwd(), out) || out}`);
    if (argv.open) writeErr(openInBrowser(out, writeErr));
    if (argv.json) writeOut(JSON.stringify(written.value, null, 2));
  },
});

export default command;
