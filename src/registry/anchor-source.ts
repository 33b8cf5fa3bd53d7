/**
 * Trusted copies of the log to re-anchor a file registry's head on
 * (`sluice registry anchor`): the log as committed in git (reviewed,
 * and its history is not rewritten without everyone noticing) or the
 * team's PostgreSQL registry (append-only by trigger). Each copy must be
 * a consistent chain itself before it can vouch for anything.
 */
import { execFile } from "node:child_process";
import { fail, ok, type Result } from "../util/result.js";
import { checkChain, lineDigest, type ChainHead } from "./chain.js";
import { parseRegistryUrl, PostgresBackend } from "./postgres/index.js";

/** A trusted copy: its lines and a name for messages. */
export interface TrustedLog {
  readonly lines: readonly string[];
  /** `commit 1a2b3c4d` or the registry's display URL. */
  readonly source: string;
}

/** The log and head as committed at `rev` in the workspace's git repository. */
export async function trustedLogFromGit(root: string, rev: string): Promise<Result<TrustedLog, string>> {
  const commit = await git(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  if (commit === undefined) return fail(`${rev} is not a commit of the git repository at ${root}`);
  const source = `commit ${commit.slice(0, 12)}`;
  const text = await git(root, ["show", `${commit}:./registry/releases.jsonl`], false);
  if (text === undefined) return fail(`registry/releases.jsonl is not in ${source} (${rev}); anchor on a commit that holds the registry`);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const committedHead = await git(root, ["show", `${commit}:./registry/head.json`], false);
  const head = committedHead === undefined ? lastLineHead(lines) : parseHead(committedHead);
  const problems = checkChain(lines, head);
  if (problems.length > 0) return fail(`registry/releases.jsonl as committed in ${source} is itself damaged (${problems[0]?.message}); anchor on another commit`);
  return ok({ lines, source });
}

/** The log of the PostgreSQL registry at `url`, checked against its own head. */
export async function trustedLogFromRegistry(root: string, url: string): Promise<Result<TrustedLog, string>> {
  const parsed = parseRegistryUrl(url);
  if (!parsed.ok) return fail(parsed.error);
  const backend = new PostgresBackend(root, parsed.value);
  await backend.open();
  const raw = await backend.readChain();
  const problems = checkChain(raw.lines, raw.head);
  if (problems.length > 0) return fail(`${backend.location} is itself damaged (${problems[0]?.message}); run \`sluice verify\` against it`);
  return ok({ lines: raw.lines, source: backend.location });
}

function lastLineHead(lines: readonly string[]): ChainHead | undefined {
  return lines.length === 0 ? undefined : { seq: lines.length, digest: lineDigest(lines[lines.length - 1] as string) };
}

function parseHead(text: string): ChainHead {
  try {
    const parsed = JSON.parse(text) as { seq?: unknown; digest?: unknown };
    if (typeof parsed.seq === "number" && typeof parsed.digest === "string") return { seq: parsed.seq, digest: parsed.digest };
  } catch {
    // reported as a mismatch below
  }
  return { seq: -1, digest: "unreadable" };
}

/** git's stdout (trimmed unless `trim` is false), or undefined when git fails. */
function git(cwd: string, args: readonly string[], trim = true): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 30, timeout: 60_000 }, (error, stdout) => {
      if (error) resolve(undefined);
      else resolve(trim ? stdout.trim() : stdout);
    });
  });
}
