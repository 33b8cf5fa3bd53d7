/**
 * `sluice report [--out report/index.html] [--open] [--json]`: one
 * self-contained HTML file with every project's DAG coloured by last status,
 * its release timeline, the gates of what is live, the monitoring plots and
 * the lineage of live releases.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { openCache } from "../../cache/index.js";
import { writeErr, writeOut } from "../../report/index.js";
import { workspacePlots } from "../../ops/index.js";
import { loadContext, type GlobalOptions } from "../context.js";
import { dryRun } from "../dry-run.js";
import { htmlOutputPath, writeHtmlPage } from "../html-output.js";

interface ReportArgs extends GlobalOptions {
  readonly out?: string;
  readonly open: boolean;
}

/** Where the report goes when `--out` is not given, relative to the workspace root (git-ignored). */
const DEFAULT_OUT = join("report", "index.html");

const command: CommandModule<GlobalOptions, ReportArgs> = {
  command: "report",
  describe: "Write a self-contained HTML report: DAG status, release timeline, live gates, monitoring plots, lineage",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("out", { type: "string", describe: `the HTML file to write (default: ${DEFAULT_OUT} in the workspace)` })
      .option("open", { type: "boolean", default: false, describe: "open the report in a browser (xdg-open) once written" }) as unknown as Argv<ReportArgs>,
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const out = htmlOutputPath(argv.out, argv.cwd ?? process.cwd(), context.root, DEFAULT_OUT);
    const html = await import("../../dashboard/html/index.js");
    const cache = await openCache(context.root);
    const build = await dryRun(cache, context, new Set(context.dag.stages.keys()));
    const inputs = await html.gatherReportInputs(context.workspace, cache, build, await workspacePlots(context.workspace), new Date());
    const model = html.buildReportModel(inputs);
    for (const note of model.notes) writeErr(`warning: ${note}`);
    writeHtmlPage(out, html.renderReportPage(model));
    if (argv.open) openInBrowser(out);
    if (argv.json) {
      writeOut(
        JSON.stringify(
          {
            ok: true,
            out,
            projects: model.projects.map((p) => ({
              name: p.name,
              stages: p.dag.nodes.length,
              releases: p.releases.length,
              live: Object.fromEntries(p.gateTables.map((t) => [t.alias, t.release])),
              windows: p.monitor.feeds.reduce((n, f) => n + f.windowCount, 0),
            })),
            notes: model.notes,
          },
          null,
          2,
        ),
      );
    }
  },
};

/** Best effort: hands the file to xdg-open and never waits for it or fails the command. */
function openInBrowser(file: string): void {
  const opener = (process.env["PATH"] ?? "").split(delimiter).map((dir) => join(dir, "xdg-open")).find((p) => existsSync(p));
  if (!opener) {
    writeErr(`--open: xdg-open is not available; open ${file} in a browser`);
    return;
  }
  writeErr(`opening ${file} with xdg-open`);
  const child = spawn(opener, [file], { detached: true, stdio: "ignore" });
  child.on("error", (error) => writeErr(`--open: ${error.message}; open ${file} in a browser`));
  child.unref();
}

export default command;
