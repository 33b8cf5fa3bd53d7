/**
 * `sluice registry list [project]`, `registry show <project> <release|@alias>`
 * and `registry history <project> <alias>`: read the registry, write nothing.
 */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";

interface ListArgs extends GlobalOptions {
  readonly project?: string;
}
interface ShowArgs extends GlobalOptions {
  readonly project: string;
  readonly ref: string;
}
interface HistoryArgs extends GlobalOptions {
  readonly project: string;
  readonly alias: string;
}

/** Loaded on use so `sluice run` never pays for the registry. */
async function modules() {
  const [registry, messages, tables] = await Promise.all([
    import("../../registry/index.js"),
    import("../../report/registry-messages.js"),
    import("../../report/registry-tables.js"),
  ]);
  return { ...registry, ...messages, ...tables };
}

/** The registry's state, or undefined after reporting why not (exit 2). */
async function stateFor(argv: GlobalOptions) {
  const m = await modules();
  const opened = await m.openWorkspaceRegistry(argv.cwd ?? process.cwd());
  if (!opened.ok) {
    m.printRegistryError(opened.error, argv.json);
    process.exitCode = 2;
    return undefined;
  }
  try {
    return { m, state: await opened.value.registry.state() };
  } catch (error) {
    m.printRegistryError((error as Error).message, argv.json);
    process.exitCode = 1;
    return undefined;
  }
}

const list: CommandModule<GlobalOptions, ListArgs> = {
  command: "list [project]",
  describe: "Every release: decision, live aliases, model, who created it",
  builder: (y: Argv<GlobalOptions>) => y.positional("project", { type: "string", describe: "only this project" }) as unknown as Argv<ListArgs>,
  handler: async (argv) => {
    const loaded = await stateFor(argv);
    if (!loaded) return;
    const { m, state } = loaded;
    const rows = state.releases(argv.project).map((r) => {
      const decision = state.decisions(r.project, r.release).at(-1);
      return {
        project: r.project,
        release: r.release,
        manifestDigest: r.manifestDigest,
        createdAt: r.manifest.lineage.createdAt,
        createdBy: r.manifest.lineage.createdBy,
        decision: decision?.decision ?? null,
        failed: decision?.failed ?? [],
        aliases: state.aliases(r.project).filter((a) => a.release === r.release).map((a) => a.alias),
        model: r.manifest.model,
      };
    });
    const aliases = state.aliases(argv.project).filter((a) => a.release !== null).map((a) => ({ project: a.project, alias: a.alias, release: a.release }));
    m.printRegistryResult(argv.json, { releases: rows, aliases }, m.renderReleaseList(rows));
  },
};

const show: CommandModule<GlobalOptions, ShowArgs> = {
  command: "show <project> <ref>",
  describe: "One release's whole manifest (ref: a release name or @alias)",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("ref", { type: "string", demandOption: true, describe: "eta_v2 or @production" }) as unknown as Argv<ShowArgs>,
  handler: async (argv) => {
    const loaded = await stateFor(argv);
    if (!loaded) return;
    const { m, state } = loaded;
    const resolved = m.resolveRef(state, argv.project, argv.ref);
    const record = resolved.ok ? state.release(argv.project, resolved.value) : undefined;
    if (!resolved.ok || !record) {
      const refusal = resolved.ok
        ? { reason: "unknown-release" as const, project: argv.project, release: resolved.value, known: state.releases(argv.project).map((r) => r.release) }
        : resolved.error;
      m.printRegistryError(m.describeRefusal(refusal), argv.json, refusal);
      process.exitCode = 2;
      return;
    }
    const aliases = state.aliases(argv.project).filter((a) => a.release === record.release).map((a) => a.alias);
    m.printRegistryResult(
      argv.json,
      { project: record.project, release: record.release, manifestDigest: record.manifestDigest, aliases, manifest: record.manifest },
      m.renderRelease(record.manifest, record.manifestDigest, aliases),
    );
  },
};

const history: CommandModule<GlobalOptions, HistoryArgs> = {
  command: "history <project> <alias>",
  describe: "Every move of an alias: when, who, from, to, why",
  builder: (y: Argv<GlobalOptions>) =>
    y.positional("project", { type: "string", demandOption: true }).positional("alias", { type: "string", demandOption: true }) as unknown as Argv<HistoryArgs>,
  handler: async (argv) => {
    const loaded = await stateFor(argv);
    if (!loaded) return;
    const { m, state } = loaded;
    const moves = state.moves(argv.project, argv.alias);
    const document = {
      project: argv.project,
      alias: argv.alias,
      current: state.aliasTarget(argv.project, argv.alias),
      moves: moves.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, from: e.from, to: e.to, cause: e.cause, reason: e.reason })),
    };
    m.printRegistryResult(argv.json, document, m.renderHistory(argv.project, argv.alias, moves));
  },
};

interface ExportArgs extends GlobalOptions {
  readonly out?: string;
}

const exportChain: CommandModule<GlobalOptions, ExportArgs> = {
  command: "export",
  describe: "Write the event log in the file format (releases.jsonl), exactly as chained",
  builder: (y: Argv<GlobalOptions>) => y.option("out", { type: "string", describe: "file to write (default: stdout)" }) as unknown as Argv<ExportArgs>,
  handler: async (argv) => {
    const m = await modules();
    const { findWorkspaceRoot } = await import("../../pipeline/index.js");
    const root = findWorkspaceRoot(argv.cwd ?? process.cwd());
    if (!root) {
      m.printRegistryError(`no sluice workspace at or above ${argv.cwd ?? process.cwd()}`, argv.json);
      process.exitCode = 2;
      return;
    }
    const chain = await m.registryBackend(root).readChain();
    const text = chain.lines.map((line) => `${line}\n`).join("");
    if (argv.out === undefined) return void m.writeRegistryText(text);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(argv.out, text);
    m.printRegistryResult(argv.json, { ok: true, out: argv.out, lines: chain.lines.length }, `wrote ${chain.lines.length} events to ${argv.out}`);
  },
};

const command: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "registry",
  describe: "Inspect releases and aliases: list, show, history, export",
  builder: (y: Argv<GlobalOptions>) =>
    y.command(list).command(show).command(history).command(exportChain).demandCommand(1, "name a registry command: list, show, history or export"),
  handler: () => undefined,
};

export default command;
