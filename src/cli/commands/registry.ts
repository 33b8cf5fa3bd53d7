/**
 * `sluice registry list [project]`, `registry show <project> <release|@alias>`
 * and `registry history <project> <alias>` read the registry and write
 * nothing; `registry export` writes the log in the file format;
 * `registry import` moves a file registry into PostgreSQL; `registry sync`
 * rewrites this workspace's alias files from a shared registry; `registry
 * anchor` re-anchors a file registry's head on a trusted copy of the log.
 */
import type { Argv, CommandModule } from "yargs";
import type { RawChain } from "../../registry/index.js";
import type { GlobalOptions } from "../context.js";
import { exitWith } from "../exit-code.js";

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
    import("../../report/index.js"),
    import("../../dashboard/index.js"),
  ]);
  return { ...registry, ...messages, ...tables };
}

/** The registry's state, or undefined after reporting why not (exit 2). */
async function stateFor(argv: GlobalOptions) {
  const m = await modules();
  const opened = await m.openWorkspaceRegistry(argv.cwd ?? process.cwd());
  if (!opened.ok) {
    m.printRegistryError(opened.error, argv.json);
    exitWith("usage");
    return undefined;
  }
  try {
    return { m, state: await opened.value.registry.state() };
  } catch (error) {
    // An unreachable server is a usage problem (2); a damaged log is a failed verification (1).
    m.printRegistryError((error as Error).message, argv.json);
    exitWith(isUnavailable(error) ? "usage" : "failed");
    return undefined;
  }
}

/** The registry's storage could not be used at all (server down, bad URL, credentials). */
function isUnavailable(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === "RegistryUnavailableError" || name === "UnsupportedRegistryError" || name === "RegistryBusyError";
}

/** The workspace root, or undefined after a usage error. */
async function rootFor(argv: GlobalOptions, m: Awaited<ReturnType<typeof modules>>): Promise<string | undefined> {
  const { findWorkspaceRoot } = await import("../../pipeline/index.js");
  const root = findWorkspaceRoot(argv.cwd ?? process.cwd());
  if (!root) {
    m.printRegistryError(`no sluice workspace at or above ${argv.cwd ?? process.cwd()}`, argv.json);
    exitWith("usage");
  }
  return root ?? undefined;
}

/** Reports a failure to use the registry: one line, exit 2 when it could not be reached, 1 otherwise. */
function reportFailure(m: Awaited<ReturnType<typeof modules>>, error: unknown, json: boolean | undefined): void {
  m.printRegistryError((error as Error).message, json);
  exitWith(isUnavailable(error) ? "usage" : "failed");
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
      exitWith("usage");
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
    const root = await rootFor(argv, m);
    if (!root) return;
    let chain: RawChain;
    let location: string;
    try {
      const backend = m.registryBackend(root);
      chain = await backend.readChain();
      location = backend.location;
    } catch (error) {
      return reportFailure(m, error, argv.json);
    }
    // Byte for byte what the file registry holds for the same chain: the lines as chained, one per line.
    const text = chain.lines.map((line) => `${line}\n`).join("");
    if (argv.out === undefined) return void m.writeRegistryText(text);
    const { writeFile } = await import("node:fs/promises");
    const { resolve } = await import("node:path");
    await writeFile(resolve(argv.cwd ?? process.cwd(), argv.out), text);
    m.printRegistryResult(
      argv.json,
      { ok: true, from: location, out: argv.out, lines: chain.lines.length },
      `wrote ${chain.lines.length} events from ${location} to ${argv.out}`,
    );
  },
};

interface ImportArgs extends GlobalOptions {
  readonly from?: string;
  readonly to?: string;
}

const importChain: CommandModule<GlobalOptions, ImportArgs> = {
  command: "import",
  describe: "Move a file registry (registry/releases.jsonl, or --from FILE) into the PostgreSQL registry, verified before and after",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .option("from", { type: "string", describe: "a releases.jsonl to import (default: this workspace's registry/releases.jsonl)" })
      .option("to", { type: "string", describe: "the postgres:// URL to import into (default: SLUICE_REGISTRY)" }) as unknown as Argv<ImportArgs>,
  handler: async (argv) => {
    const m = await modules();
    const root = await rootFor(argv, m);
    if (!root) return;
    const pg = await import("../../registry/postgres/index.js");
    const url = argv.to ?? process.env["SLUICE_REGISTRY"] ?? "";
    const parsed = pg.isPostgresUrl(url)
      ? pg.parseRegistryUrl(url)
      : { ok: false as const, error: "registry import moves a file registry into PostgreSQL: set SLUICE_REGISTRY=postgres://… or pass --to" };
    if (!parsed.ok) {
      m.printRegistryError(parsed.error, argv.json);
      exitWith("usage");
      return;
    }
    const { resolve } = await import("node:path");
    const from = argv.from === undefined ? undefined : resolve(argv.cwd ?? process.cwd(), argv.from);
    try {
      const target = new pg.PostgresBackend(root, parsed.value);
      await target.open();
      const source = await m.readImportSource(root, from);
      const imported = await m.importFileRegistry(root, source, target);
      if (!imported.ok) {
        // A damaged file failed verification (1); a database holding another chain is the wrong target (2).
        m.printRegistryError(imported.error.message, argv.json, imported.error);
        exitWith(imported.error.reason === "source-damaged" ? "failed" : "usage");
        return;
      }
      const report = imported.value;
      const { renderVerification } = await import("../../dashboard/index.js");
      const what =
        report.imported === 0
          ? `nothing to import: ${report.to} already holds all ${report.existing} events of ${report.from}`
          : `imported ${report.imported} events from ${report.from} into ${report.to}${report.existing > 0 ? ` (after the ${report.existing} it already held)` : ""}`;
      m.printRegistryResult(argv.json, { ok: report.verification.ok, ...report }, `${what}\n${renderVerification(report.verification)}`);
      if (!report.verification.ok) exitWith("failed");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        m.printRegistryError(`${argv.from ?? "registry/releases.jsonl"} does not exist`, argv.json);
        exitWith("usage");
        return;
      }
      reportFailure(m, error, argv.json);
    }
  },
};

const sync: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "sync",
  describe: "Rewrite this workspace's alias files from the shared (PostgreSQL) registry",
  handler: async (argv) => {
    const m = await modules();
    const opened = await m.openWorkspaceRegistry(argv.cwd ?? process.cwd());
    if (!opened.ok) {
      m.printRegistryError(opened.error, argv.json);
      exitWith("usage");
      return;
    }
    const backend = opened.value.registry.backend;
    if (!backend.refreshMaterialised) {
      const note = `${backend.location} rewrites its alias files on every write; nothing to sync`;
      return void m.printRegistryResult(argv.json, { ok: true, location: backend.location, rewritten: [] }, note);
    }
    try {
      const rewritten = await backend.refreshMaterialised();
      const human = rewritten.length === 0 ? "alias files already match the registry" : rewritten.map((f) => `rewrote ${f}`).join("\n");
      m.printRegistryResult(argv.json, { ok: true, location: backend.location, rewritten }, human);
    } catch (error) {
      reportFailure(m, error, argv.json);
    }
  },
};

interface AnchorArgs extends GlobalOptions {
  readonly fromGit?: string;
  readonly fromRegistry?: string;
}

const anchor: CommandModule<GlobalOptions, AnchorArgs> = {
  command: "anchor",
  describe: "Rewrite registry/head.json from a trusted copy of the log (a git commit or the PostgreSQL registry) the log must begin with",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .option("from-git", { type: "string", describe: "a commit whose registry/releases.jsonl the log must begin with" })
      .option("from-registry", { type: "string", describe: "a postgres:// registry whose events the log must begin with" })
      .conflicts("from-git", "from-registry") as unknown as Argv<AnchorArgs>,
  handler: async (argv) => {
    const m = await modules();
    const root = await rootFor(argv, m);
    if (!root) return;
    if (argv.fromGit === undefined && argv.fromRegistry === undefined) {
      m.printRegistryError("name the trusted copy to anchor on: --from-git <commit> or --from-registry postgres://…", argv.json);
      exitWith("usage");
      return;
    }
    try {
      const trusted = argv.fromGit !== undefined ? await m.trustedLogFromGit(root, argv.fromGit) : await m.trustedLogFromRegistry(root, argv.fromRegistry as string);
      if (!trusted.ok) {
        m.printRegistryError(trusted.error, argv.json);
        exitWith("usage");
        return;
      }
      const backend = new m.FileBackend(root);
      const anchored = await backend.anchor(trusted.value.lines, trusted.value.source);
      if (!anchored.ok) {
        // The log is not what the trusted copy says: a failed verification, not a usage error.
        m.printRegistryError(anchored.error.message, argv.json, { reason: "not-a-prefix", line: anchored.error.line });
        exitWith("failed");
        return;
      }
      const { lines, fromTrusted } = anchored.value;
      const after = lines > fromTrusted ? `; lines ${fromTrusted + 1}-${lines} are newer than ${trusted.value.source} and chain onto it: review them (\`sluice registry history\`)` : "";
      m.printRegistryResult(
        argv.json,
        { ok: true, location: backend.location, source: trusted.value.source, lines, fromTrusted },
        `anchored ${backend.location} at line ${lines} on ${trusted.value.source} (lines 1-${fromTrusted} as it holds them)${after}`,
      );
    } catch (error) {
      reportFailure(m, error, argv.json);
    }
  },
};

const command: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "registry",
  describe: "Inspect releases and aliases: list, show, history; export, import, sync, anchor",
  builder: (y: Argv<GlobalOptions>) =>
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
};

export default command;
