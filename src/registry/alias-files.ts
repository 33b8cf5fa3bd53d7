/**
 * Materialised aliases: `registry/<project>/<alias>.json` holds the whole
 * manifest of the release the alias points at (model, data, features,
 * action policy with its thresholds, monitor policy, gates), so a serving
 * system reads one file and gets the complete tuple. The files are a view
 * of the log, rewritten atomically after every move and checked by verify.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import type { MaterialisedProblem } from "./backend.js";
import type { AliasPointer, RegistryState } from "./registry-state.js";

/** The workspace-relative path of an alias file. */
export function aliasFilePath(project: string, alias: string): string {
  return `registry/${project}/${alias}.json`;
}

/** The exact text an alias file must hold; undefined when the alias is unset. */
export function renderAliasFile(state: RegistryState, pointer: AliasPointer): string | undefined {
  if (pointer.release === null) return undefined;
  const record = state.release(pointer.project, pointer.release);
  if (!record) return undefined; // a move to an unknown release; verify reports the log
  return canonicalJsonPretty({
    project: pointer.project,
    alias: pointer.alias,
    release: record.release,
    manifestDigest: record.manifestDigest,
    movedAt: pointer.move.at,
    movedBy: pointer.move.actor,
    cause: pointer.move.cause,
    reason: pointer.move.reason,
    event: pointer.move.seq,
    manifest: record.manifest,
  });
}

/**
 * Rewrites the alias files of `projects` that differ from the log and
 * removes those of cleared aliases. Files that already match are left
 * alone so their mtime says when the alias last moved.
 */
export async function materialiseAliases(root: string, state: RegistryState, projects: ReadonlySet<string>): Promise<void> {
  for (const pointer of state.aliases()) {
    if (!projects.has(pointer.project)) continue;
    const path = join(root, aliasFilePath(pointer.project, pointer.alias));
    const expected = renderAliasFile(state, pointer);
    const actual = await readFile(path, "utf8").catch(() => undefined);
    if (expected === actual) continue;
    if (expected === undefined) await rm(path, { force: true });
    else writeFileAtomicSync(path, expected, { durable: true });
  }
}

/** Every alias file that does not match the log, in path order. */
export async function checkAliasFiles(root: string, state: RegistryState): Promise<MaterialisedProblem[]> {
  const problems: MaterialisedProblem[] = [];
  const expectedFiles = new Set<string>();
  for (const pointer of state.aliases()) {
    const file = aliasFilePath(pointer.project, pointer.alias);
    const expected = renderAliasFile(state, pointer);
    const actual = await readFile(join(root, file), "utf8").catch(() => undefined);
    if (expected !== undefined) expectedFiles.add(file);
    if (expected === actual) continue;
    if (expected === undefined) {
      problems.push({ reason: "alias-file-orphan", file, message: `${file} exists but the log says ${pointer.alias} was cleared` });
    } else if (actual === undefined) {
      problems.push({ reason: "alias-file-missing", file, message: `${file} is missing; the log says ${pointer.alias} -> ${pointer.release}` });
    } else {
      problems.push({
        reason: "alias-file-stale",
        file,
        message: `${file} does not match the log (${pointer.alias} -> ${pointer.release}, event ${pointer.move.seq})`,
      });
    }
  }
  for (const file of await listAliasFiles(root)) {
    if (expectedFiles.has(file) || problems.some((p) => p.file === file)) continue;
    problems.push({ reason: "alias-file-orphan", file, message: `${file} names an alias the log never moved` });
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file));
}

async function listAliasFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const registry = join(root, "registry");
  const entries = await readdir(registry, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    for (const name of await readdir(join(registry, entry.name)).catch(() => [] as string[])) {
      if (name.endsWith(".json") && !name.startsWith(".")) found.push(`registry/${entry.name}/${name}`);
    }
  }
  return found.sort();
}
