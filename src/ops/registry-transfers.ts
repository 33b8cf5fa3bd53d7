/**
 * Moving the registry's log between places: `export` (the log in the file
 * format, byte for byte as chained), `import` (a file registry into
 * PostgreSQL, verified before and after), `sync` (this workspace's alias
 * files from a shared registry), `anchor` (a file registry's head re-anchored
 * on a trusted copy of its log). Each returns the document `--json` prints.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ImportReport } from "../registry/index.js";
import { fail } from "../util/result.js";
import { refuse, type OpFailure, type OpResult } from "./failure.js";
import { workspaceRootAt } from "./load-workspace.js";
import { storageFailures, withRegistry } from "./registry-session.js";

export interface ExportedLog {
  readonly ok: true;
  readonly from: string;
  /** The file written, as given; undefined when the log went to stdout as `text`. */
  readonly out: string | undefined;
  readonly lines: number;
  /** The log in the file format (one chained line per event), when not written to a file. */
  readonly text: string | undefined;
}

/** The event log in the file format, to `out` (relative to `cwd`) or returned as text. */
export async function exportLog(cwd: string, out: string | undefined): Promise<OpResult<ExportedLog>> {
  const root = workspaceRootAt(cwd);
  if (!root.ok) return root;
  return storageFailures(async () => {
    const { registryBackend } = await import("../registry/index.js");
    const backend = registryBackend(root.value);
    const chain = await backend.readChain();
    // Byte for byte what the file registry holds for the same chain: the lines as chained, one per line.
    const text = chain.lines.map((line) => `${line}\n`).join("");
    if (out !== undefined) await writeFile(resolve(cwd, out), text);
    return { ok: true, value: { ok: true, from: backend.location, out, lines: chain.lines.length, text: out === undefined ? text : undefined } };
  });
}

export type ImportedLog = ImportReport & { readonly ok: boolean };

/** A file registry (the workspace's, or `from`) into the PostgreSQL registry at `to` (default SLUICE_REGISTRY). */
export async function importLog(cwd: string, request: { readonly from: string | undefined; readonly to: string | undefined }): Promise<OpResult<ImportedLog>> {
  const root = workspaceRootAt(cwd);
  if (!root.ok) return root;
  const pg = await import("../registry/postgres/index.js");
  const url = request.to ?? process.env["SLUICE_REGISTRY"] ?? "";
  if (!pg.isPostgresUrl(url)) return refuse("usage", "registry import moves a file registry into PostgreSQL: set SLUICE_REGISTRY=postgres://… or pass --to");
  const parsed = pg.parseRegistryUrl(url);
  if (!parsed.ok) return refuse("usage", parsed.error);
  const from = request.from === undefined ? undefined : resolve(cwd, request.from);
  return storageFailures(async () => {
    const { importFileRegistry, readImportSource } = await import("../registry/index.js");
    const target = new pg.PostgresBackend(root.value, parsed.value);
    await target.open();
    const source = await readImportSource(root.value, from).catch((error: NodeJS.ErrnoException) => error);
    if (source instanceof Error) {
      if (source.code === "ENOENT") return refuse("usage", `${request.from ?? "registry/releases.jsonl"} does not exist`);
      throw source;
    }
    const imported = await importFileRegistry(root.value, source, target);
    // A damaged file failed verification (1); a database holding another chain is the wrong target (2).
    if (!imported.ok) return fail<OpFailure>({ kind: imported.error.reason === "source-damaged" ? "failed" : "usage", message: imported.error.message, detail: imported.error });
    const report = imported.value;
    const document = { ok: report.verification.ok, ...report };
    // The import happened; a database that does not verify afterwards still fails the command.
    return { ok: true, value: document };
  });
}

export interface SyncedAliases {
  readonly ok: true;
  readonly location: string;
  /** Alias files rewritten (none for a file registry, which rewrites them on every write). */
  readonly rewritten: readonly string[];
  /** Whether the registry keeps alias files apart from its log at all. */
  readonly applies: boolean;
}

/** Rewrites this workspace's alias files from the shared registry. */
export async function syncAliases(cwd: string): Promise<OpResult<SyncedAliases>> {
  return withRegistry<SyncedAliases>(cwd, async ({ registry }) => {
    const backend = registry.backend;
    if (!backend.refreshMaterialised) return { ok: true, value: { ok: true, location: backend.location, rewritten: [], applies: false } };
    const rewritten = await backend.refreshMaterialised();
    return { ok: true, value: { ok: true, location: backend.location, rewritten, applies: true } };
  });
}

export interface AnchoredLog {
  readonly ok: true;
  readonly location: string;
  readonly source: string;
  /** Lines of the log now anchored. */
  readonly lines: number;
  /** Of those, how many the trusted copy holds. */
  readonly fromTrusted: number;
}

/** Re-anchors the file registry's head on a trusted copy of its log: a git commit's, or a PostgreSQL registry's. */
export async function anchorLog(cwd: string, trusted: { readonly fromGit: string | undefined; readonly fromRegistry: string | undefined }): Promise<OpResult<AnchoredLog>> {
  const root = workspaceRootAt(cwd);
  if (!root.ok) return root;
  if (trusted.fromGit === undefined && trusted.fromRegistry === undefined) {
    return refuse("usage", "name the trusted copy to anchor on: --from-git <commit> or --from-registry postgres://…");
  }
  return storageFailures(async () => {
    const { FileBackend, trustedLogFromGit, trustedLogFromRegistry } = await import("../registry/index.js");
    const copy = trusted.fromGit !== undefined ? await trustedLogFromGit(root.value, trusted.fromGit) : await trustedLogFromRegistry(root.value, trusted.fromRegistry as string);
    if (!copy.ok) return refuse("usage", copy.error);
    const backend = new FileBackend(root.value);
    const anchored = await backend.anchor(copy.value.lines, copy.value.source);
    // The log is not what the trusted copy says: a failed verification, not a usage error.
    if (!anchored.ok) return fail<OpFailure>({ kind: "failed", message: anchored.error.message, detail: { reason: "not-a-prefix", line: anchored.error.line } });
    const { lines, fromTrusted } = anchored.value;
    return { ok: true, value: { ok: true, location: backend.location, source: copy.value.source, lines, fromTrusted } };
  });
}
