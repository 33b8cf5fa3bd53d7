/**
 * Checks of a workspace's registry for the torture tests, written apart
 * from `verify` so a bug there cannot hide a bug in the writers: the log is
 * folded here by hand and every alias file compared with the fold.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { releaseWorkspace } from "../registry/fixtures/release-workspace.js";
import { SEED_GATES } from "../registry/workspace.js";
import type { RunOutput, Workspace } from "../rig.js";

/** A stack frame as node prints it (`    at fn (file:1:2)`): never shown to a user. */
export const STACK_FRAME = /\n\s+at .*:\d+:\d+\)?/;

/** A control character or line separator: a one-line message quoting a broken file must escape them. */
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The files of a workspace ending in the real promote stage, every seed gate passing. */
export function promotingWorkspace(weights = "w1"): Record<string, string> {
  return releaseWorkspace({ gates: Object.fromEntries(SEED_GATES.map((g) => [g, true])), warning: 0.5, weights });
}

/** Path -> bytes (base64) of every file under `dir`, for byte-identity checks. */
export function filesUnder(root: string, dir: string): Record<string, string> {
  const base = join(root, dir);
  if (!existsSync(base)) return {};
  const out: Record<string, string> = {};
  for (const entry of readdirSync(base, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(base.length + 1)] = readFileSync(path).toString("base64");
  }
  return out;
}

/** Makes `dir` hold exactly the files of a `filesUnder` snapshot again. */
export function restoreFiles(root: string, dir: string, snapshot: Readonly<Record<string, string>>): void {
  rmSync(join(root, dir), { recursive: true, force: true });
  for (const [file, bytes] of Object.entries(snapshot)) {
    mkdirSync(dirname(join(root, dir, file)), { recursive: true });
    writeFileSync(join(root, dir, file), Buffer.from(bytes, "base64"));
  }
}

interface LoggedEvent {
  readonly seq: number;
  readonly type: string;
  readonly project: string;
  readonly release?: string;
  readonly alias?: string;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly manifest?: unknown;
}

/** The log's events; throws naming the line when one is not whole JSON or the file does not end in a newline. */
export function loggedEvents(root: string): LoggedEvent[] {
  const text = readFileSync(join(root, "registry/releases.jsonl"), "utf8");
  if (!text.endsWith("\n")) throw new Error("registry/releases.jsonl does not end with a newline (torn append)");
  return text
    .slice(0, -1)
    .split("\n")
    .map((line, i) => {
      try {
        return JSON.parse(line) as LoggedEvent;
      } catch {
        throw new Error(`line ${i + 1} of registry/releases.jsonl is not JSON: ${line.slice(0, 80)}`);
      }
    });
}

/**
 * Everything wrong with the alias files and the moves, by a fold of the log
 * done here: each alias file holds the release and manifest of the alias's
 * last move, a cleared alias has no file, no file names an alias the log
 * never moved, every move starts where the previous one left the alias, and
 * no temp file of an interrupted write is left behind.
 */
export function aliasMismatches(root: string): string[] {
  const problems: string[] = [];
  const manifests = new Map<string, unknown>();
  const aliases = new Map<string, { project: string; alias: string; to: string | null; seq: number }>();
  for (const [i, event] of loggedEvents(root).entries()) {
    if (event.seq !== i + 1) problems.push(`line ${i + 1} has seq ${event.seq}`);
    if (event.type === "release_registered") manifests.set(`${event.project}/${event.release}`, event.manifest);
    if (event.type !== "alias_moved") continue;
    const key = `${event.project}/${event.alias}`;
    const before = aliases.get(key)?.to ?? null;
    if (event.from !== before) problems.push(`event ${event.seq} moves ${key} from ${event.from}, but it held ${before}`);
    aliases.set(key, { project: event.project, alias: event.alias as string, to: event.to ?? null, seq: event.seq });
  }
  const expectedFiles = new Set<string>();
  for (const [key, pointer] of aliases) {
    const file = join(root, "registry", `${key}.json`);
    if (pointer.to === null) {
      if (existsSync(file)) problems.push(`${key}.json exists but ${key} was cleared`);
      continue;
    }
    expectedFiles.add(`${key}.json`);
    if (!existsSync(file)) {
      problems.push(`${key}.json is missing (${key} -> ${pointer.to})`);
      continue;
    }
    const held = JSON.parse(readFileSync(file, "utf8")) as { release: string; event: number; manifest: unknown };
    if (held.release !== pointer.to || held.event !== pointer.seq) {
      problems.push(`${key}.json holds ${held.release} (event ${held.event}); the log says ${pointer.to} (event ${pointer.seq})`);
    } else if (JSON.stringify(held.manifest) !== JSON.stringify(manifests.get(`${pointer.project}/${pointer.to}`))) {
      problems.push(`${key}.json does not hold the manifest ${pointer.to} was registered with`);
    }
  }
  for (const file of Object.keys(filesUnder(root, "registry"))) {
    if (file.endsWith(".tmp")) problems.push(`temp file left behind: registry/${file}`);
    else if (file.includes("/") && !expectedFiles.has(file)) problems.push(`registry/${file} names an alias the log does not hold`);
  }
  return problems;
}

/** One registry problem as `verify --json` reports it. */
export interface VerifyProblem {
  readonly reason: string;
  readonly line?: number;
  readonly message: string;
}

/** `sluice verify --json`, parsed: exit code, every problem's message (cache, then registry), and the registry's problems whole. */
export async function verifyJson(
  ws: Workspace,
): Promise<{ code: number | null; ok: boolean; problems: string[]; registry: VerifyProblem[]; out: RunOutput }> {
  const out = await ws.run(["verify", "--json"]);
  let parsed: { ok: boolean; cache: { problems: unknown[] }; registry: { problems: VerifyProblem[] } | null };
  try {
    parsed = JSON.parse(out.stdout);
  } catch {
    throw new Error(`sluice verify --json printed no JSON (exit ${out.code}):\n${out.stdout}\n${out.stderr}`);
  }
  const registry = parsed.registry?.problems ?? [{ reason: "no-registry-verdict", message: "verify gave no registry verdict" }];
  const problems = [...parsed.cache.problems.map((p) => JSON.stringify(p)), ...registry.map((p) => p.message)];
  return { code: out.code, ok: parsed.ok, problems, registry, out };
}
