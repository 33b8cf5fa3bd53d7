/**
 * `sluice registry import`: moves a file registry into PostgreSQL,
 * verified on both sides.
 *
 *   read the file chain ─▶ verify it (chain, meaning) ─▶ one locked
 *   transaction: the database holds nothing or a prefix of the file,
 *   append the rest, read it back ─▶ COMMIT ─▶ verify the database
 *
 * A damaged file is refused before anything is written; a database
 * holding a different chain is refused without being touched. Importing
 * the same file twice appends nothing the second time, and a file that
 * grew since the last import appends only its new lines.
 */
import { existsSync } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fail, ok, type Result } from "../util/result.js";
import type { RawChain, RegistryBackend } from "./backend.js";
import { lineDigest, type ChainHead } from "./chain.js";
import { FileBackend } from "./file-backend.js";
import { verifyRegistry, type RegistryProblem, type RegistryVerification } from "./verify-registry.js";
import type { ImportRefusal, PostgresBackend } from "./postgres/index.js";

/** A file registry's chain as read for import. */
export interface ImportSource {
  /** The file, as given or workspace-relative. */
  readonly path: string;
  readonly chain: RawChain;
  /** Where the head record came from: `head.json` beside the file, or the file's own last line (an export carries no head). */
  readonly headFrom: "head.json" | "last line" | "none";
}

/** Why nothing was imported. */
export type ImportFailure =
  | { readonly reason: "source-damaged"; readonly path: string; readonly problems: readonly RegistryProblem[]; readonly message: string }
  | ImportRefusal;

/** What an import did and what verifying the database found afterwards. */
export interface ImportReport {
  readonly from: string;
  readonly to: string;
  readonly headFrom: ImportSource["headFrom"];
  /** Events the database already held (a prefix of the file). */
  readonly existing: number;
  /** Events appended now. */
  readonly imported: number;
  /** `sluice verify`'s registry verdict on the database after the import. */
  readonly verification: RegistryVerification;
}

/** Reads the workspace's `registry/releases.jsonl` (with its head), or the file `from`. */
export async function readImportSource(root: string, from: string | undefined): Promise<ImportSource> {
  if (from === undefined) {
    const file = new FileBackend(root);
    // Missing is an error here (the file backend reads it as an empty log): there is nothing to move.
    await access(join(root, file.location));
    const chain = await file.readChain();
    return { path: file.location, chain, headFrom: chain.head ? "head.json" : chain.lines.length > 0 ? "last line" : "none" };
  }
  const text = await readFile(from, "utf8");
  const parts = text.split("\n");
  const tail = parts.pop() ?? "";
  const lines = parts;
  const beside = join(dirname(from), "head.json");
  let head: ChainHead | undefined;
  let headFrom: ImportSource["headFrom"] = "none";
  if (existsSync(beside)) {
    head = parseHead(await readFile(beside, "utf8"));
    headFrom = "head.json";
  } else if (lines.length > 0) {
    // An exported file has no head record: its last line stands in, so an
    // edit of that line cannot be caught here (the chain covers the rest).
    head = { seq: lines.length, digest: lineDigest(lines[lines.length - 1] as string) };
    headFrom = "last line";
  }
  const shown = relative(root, from).startsWith("..") ? from : relative(root, from);
  return { path: shown, chain: { lines, head, torn: tail === "" ? undefined : tail }, headFrom };
}

/**
 * Verifies `source`, imports it into `target`, then verifies `target` the
 * way `sluice verify` does. Object and alias-file problems of the source
 * do not stop an import (it moves the log, not the cache); the verdict
 * afterwards reports them.
 */
export async function importFileRegistry(root: string, source: ImportSource, target: PostgresBackend): Promise<Result<ImportReport, ImportFailure>> {
  const before = await verifyRegistry(root, readOnly(source));
  // An approval that does not count is reported by the verdict afterwards; it is not damage of the log.
  const logProblems = before.problems.filter((p) => p.line !== undefined && p.reason !== "approval-not-counted");
  if (logProblems.length > 0) {
    return fail({
      reason: "source-damaged",
      path: source.path,
      problems: logProblems,
      message: `${source.path} does not verify, so nothing was imported: ${logProblems[0]?.message ?? ""}`,
    });
  }
  const imported = await target.importLines(source.chain.lines);
  if (!imported.ok) return imported;
  const verification = await verifyRegistry(root, target);
  return ok({
    from: source.path,
    to: target.location,
    headFrom: source.headFrom,
    existing: imported.value.existing,
    imported: imported.value.imported,
    verification,
  });
}

/** The source as a backend that `verifyRegistry` can read and nothing can write. */
function readOnly(source: ImportSource): RegistryBackend {
  return {
    location: source.path,
    read: () => Promise.reject(new Error(`${source.path} is read only here`)),
    transact: () => Promise.reject(new Error(`${source.path} is read only here`)),
    readChain: async () => source.chain,
    // The source's alias files are not imported; the database's are checked afterwards.
    checkMaterialised: async () => [],
  };
}

function parseHead(text: string): ChainHead {
  try {
    const parsed = JSON.parse(text) as { seq?: unknown; digest?: unknown };
    if (typeof parsed.seq === "number" && typeof parsed.digest === "string") return { seq: parsed.seq, digest: parsed.digest };
  } catch {
    // fall through: an unreadable head is reported as a mismatch
  }
  return { seq: -1, digest: "unreadable" };
}
