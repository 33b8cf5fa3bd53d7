/**
 * `sluice plots show [--out plots.html]` draws every declared plot file of
 * the workspace; `sluice plots diff [revisions..] [--out plots.html]`
 * overlays each plot's series from git revisions, experiments and the workspace (HEAD
 * against the workspace by default) in one self-contained page. A
 * revision's files come from its sluice.lock and the cache (local, else
 * remote). `--json` prints the series instead, and writes the page only
 * when `--out` names one.
 */
import { join, relative } from "node:path";
import { comparePlots, htmlOutputPath, writeHtmlPage, type PlotsDocument } from "../../ops/index.js";
import { writeErr, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext, type Context } from "../context.js";
import { exitWithFailure } from "../exit-code.js";
import { REMOTE_CACHE_OPTION } from "../revision-options.js";

/** Where the page goes when `--out` is not given, relative to the workspace root (git-ignored). */
const DEFAULT_OUT = join("report", "plots.html");

const out = { type: "string", describe: `the HTML file to write (default: ${DEFAULT_OUT} in the workspace)` } as const;

const show = defineCommand({
  command: "show",
  describe: "Draw every declared plot file of the workspace in one self-contained HTML page",
  builder: (yargs) => yargs.option("out", out).example("$0 plots show --out plots.html", "the workspace's plots in one page"),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const plots = await comparePlots(context.workspace, undefined, {});
    if (!plots.ok) return exitWithFailure(plots.error);
    await render(context, plots.value, argv);
  },
});

const diff = defineCommand({
  command: "diff [revisions..]",
  describe: "Overlay each plot's series from git revisions, experiments and the workspace (default: HEAD against the workspace) in one page",
  builder: (yargs) =>
    yargs
      .positional("revisions", { type: "string", array: true, describe: "git revisions or experiment names (`workspace` names the workspace); one is compared with the workspace" })
      .option("out", out)
      .option("remote-cache", REMOTE_CACHE_OPTION)
      .example("$0 plots diff --out plots.html", "HEAD's plots against the workspace's")
      .example("$0 plots diff HEAD workspace --json", "the series of both, as JSON"),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const plots = await comparePlots(context.workspace, argv.revisions ?? [], argv);
    if (!plots.ok) return exitWithFailure(plots.error);
    await render(context, plots.value, argv);
  },
});

/** Writes the page (unless --json without --out) and prints the series (--json) or what was drawn. */
async function render(context: Context, document: PlotsDocument, argv: { readonly json?: boolean | undefined; readonly out?: string | undefined; readonly cwd?: string | undefined }): Promise<void> {
  for (const problem of document.problems) writeErr(`warning: ${problem}`);
  const page = argv.json && argv.out === undefined ? undefined : htmlOutputPath(argv.out, argv.cwd ?? process.cwd(), context.root, DEFAULT_OUT);
  if (page) {
    const { renderPlotsPage } = await import("../../dashboard/html/index.js");
    writeHtmlPage(page, renderPlotsPage({ workspace: context.root, generatedAt: new Date().toISOString(), ...document }));
    writeErr(`wrote ${relative(process.cwd(), page) || page}`);
  }
  if (argv.json) return void writeOut(JSON.stringify({ ...document, out: page ?? null }, null, 2));
  writeOut(
    document.plots.length === 0
      ? "no plots to draw (outs: { prc: plots(\"eval/prc.json\", { x: \"recall\", y: \"precision\" }) })"
      : document.plots.map((p) => `${p.path}  ${p.series.length} series (${[...new Set(p.series.map((s) => s.revision))].join(", ")})`).join("\n"),
  );
}

const command = defineCommand({
  command: "plots",
  describe: "Plot files: draw them, or overlay them across git revisions and experiments, in a self-contained HTML page",
  builder: (yargs) => yargs.command(show).command(diff).demandCommand(1, "name a subcommand: show or diff"),
  handler: () => undefined,
});

export default command;
