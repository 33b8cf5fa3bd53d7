/**
 * `sluice registry list [project]`, `registry show <project> <release|@alias>`
 * and `registry history <project> <alias>` read the registry and write
 * nothing; `registry export` writes the log in the file format;
 * `registry import` moves a file registry into PostgreSQL; `registry sync`
 * rewrites this workspace's alias files from a shared registry; `registry
 * anchor` re-anchors a file registry's head on a trusted copy of the log.
 */
import { aliasHistory, anchorLog, exportLog, importLog, listReleases, showRelease, syncAliases } from "../../ops/index.js";
import { defineCommand } from "../command-args.js";
import { exitWith } from "../exit-code.js";
import { printOutcome } from "../registry-output.js";

/** The registry texts, loaded on use so `sluice run` never pays for them. */
const texts = () => import("../../dashboard/index.js");

const list = defineCommand({
  command: "list [project]",
  describe: "Every release: decision, live aliases, model, who created it",
  builder: (y) => y.positional("project", { type: "string", describe: "only this project" }),
  handler: async (argv) => {
    const { renderReleaseList } = await texts();
    printOutcome(argv.json, await listReleases(argv.cwd ?? process.cwd(), argv.project), (list) => renderReleaseList(list.releases));
  },
});

const show = defineCommand({
  command: "show <project> <ref>",
  describe: "One release's whole manifest (ref: a release name or @alias)",
  builder: (y) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("ref", { type: "string", demandOption: true, describe: "eta_v2 or @production" }),
  handler: async (argv) => {
    const { renderRelease } = await texts();
    printOutcome(argv.json, await showRelease(argv.cwd ?? process.cwd(), argv.project, argv.ref), (r) => renderRelease(r.manifest, r.manifestDigest, r.aliases));
  },
});

const history = defineCommand({
  command: "history <project> <alias>",
  describe: "Every move of an alias: when, who, from, to, why",
  builder: (y) =>
    y.positional("project", { type: "string", demandOption: true }).positional("alias", { type: "string", demandOption: true }),
  handler: async (argv) => {
    const { renderHistory } = await texts();
    printOutcome(argv.json, await aliasHistory(argv.cwd ?? process.cwd(), argv.project, argv.alias), (h) => renderHistory(h.project, h.alias, h.moves));
  },
});

const exportChain = defineCommand({
  command: "export",
  describe: "Write the event log in the file format (releases.jsonl), exactly as chained",
  builder: (y) => y.option("out", { type: "string", describe: "file to write (default: stdout)" }),
  handler: async (argv) => {
    const [{ renderExport }, { writeRegistryText }] = await Promise.all([texts(), import("../../report/index.js")]);
    const exported = await exportLog(argv.cwd ?? process.cwd(), argv.out);
    if (exported.ok && exported.value.text !== undefined) return void writeRegistryText(exported.value.text);
    printOutcome(argv.json, exported, renderExport);
  },
});

const importChain = defineCommand({
  command: "import",
  describe: "Move a file registry (registry/releases.jsonl, or --from FILE) into the PostgreSQL registry, verified before and after",
  builder: (y) =>
    y
      .option("from", { type: "string", describe: "a releases.jsonl to import (default: this workspace's registry/releases.jsonl)" })
      .option("to", { type: "string", describe: "the postgres:// URL to import into (default: SLUICE_REGISTRY)" }),
  handler: async (argv) => {
    const { renderImport } = await texts();
    const imported = printOutcome(argv.json, await importLog(argv.cwd ?? process.cwd(), { from: argv.from, to: argv.to }), renderImport);
    if (imported && !imported.ok) exitWith("failed"); // imported, but the database does not verify afterwards
  },
});

const sync = defineCommand({
  command: "sync",
  describe: "Rewrite this workspace's alias files from the shared (PostgreSQL) registry",
  handler: async (argv) => {
    const { renderSync } = await texts();
    printOutcome(argv.json, await syncAliases(argv.cwd ?? process.cwd()), renderSync);
  },
});

const anchor = defineCommand({
  command: "anchor",
  describe: "Rewrite registry/head.json from a trusted copy of the log (a git commit or the PostgreSQL registry) the log must begin with",
  builder: (y) =>
    y
      .option("from-git", { type: "string", describe: "a commit whose registry/releases.jsonl the log must begin with" })
      .option("from-registry", { type: "string", describe: "a postgres:// registry whose events the log must begin with" })
      .conflicts("from-git", "from-registry"),
  handler: async (argv) => {
    const { renderAnchor } = await texts();
    printOutcome(argv.json, await anchorLog(argv.cwd ?? process.cwd(), { fromGit: argv.fromGit, fromRegistry: argv.fromRegistry }), renderAnchor);
  },
});

const command = defineCommand({
  command: "registry",
  describe: "Inspect releases and aliases: list, show, history; export, import, sync, anchor",
  builder: (y) =>
    y
      .command(list)
      .command(show)
      .command(history)
      .command(exportChain)
      .command(importChain)
      .command(sync)
      .command(anchor)
      .demandCommand(1, "name a registry command: list, show, history, export, import, sync or anchor"),
  handler: () => undefined,
});

export default command;
