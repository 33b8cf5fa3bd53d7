/**
 * The hash chain of the event log. Each line is the canonical JSON of one
 * event; its `prev` is the digest of the line before it. The head record
 * (`seq` and digest of the last line) is kept apart from the log so that
 * an edit of the last line, which no later `prev` covers, is caught too.
 *
 * Everything here is pure: backends hand in lines, get problems back.
 */
import { RegistryEvent } from "../../contracts/index.js";
import { digestString, type Digest } from "../cache/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import { printable } from "../util/printable.js";
import type { EventDraft, TransactionStamp } from "./event-draft.js";

/** The last line of the log as the writer left it. */
export interface ChainHead {
  /** Line number (= seq) of the last event. */
  readonly seq: number;
  /** Digest of that line's bytes. */
  readonly digest: string;
}

/** Something wrong with the log itself, naming the first line concerned. */
export interface ChainProblem {
  readonly reason: "bad-line" | "bad-seq" | "chain-broken" | "head-mismatch" | "head-missing";
  /** 1-based line of releases.jsonl (or the backend's equivalent). */
  readonly line: number;
  readonly message: string;
}

/** The bytes of one event as a log line (no newline). */
export function encodeEvent(event: RegistryEvent): string {
  return canonicalJson(event);
}

/** The digest the next line's `prev` must hold. */
export function lineDigest(line: string): Digest {
  return digestString(line);
}

/** Stamps drafts with their chain position and returns the events and their lines. */
export function stampEvents(
  drafts: readonly EventDraft[],
  head: ChainHead | undefined,
  stamp: TransactionStamp,
): { events: RegistryEvent[]; lines: string[]; head: ChainHead | undefined } {
  const events: RegistryEvent[] = [];
  const lines: string[] = [];
  let seq = head?.seq ?? 0;
  let prev: string | null = head?.digest ?? null;
  for (const draft of drafts) {
    seq += 1;
    // Parse so a draft that breaks the contract fails here, before it is written.
    const event = RegistryEvent.parse({ ...draft, seq, prev, at: stamp.at, actor: stamp.actor });
    const line = encodeEvent(event);
    events.push(event);
    lines.push(line);
    prev = lineDigest(line);
  }
  return { events, lines, head: prev === null ? head : { seq, digest: prev } };
}

/** Parses one line into an event, or says why it is not one. */
export function decodeLine(line: string, lineNo: number): { ok: true; event: RegistryEvent } | { ok: false; problem: ChainProblem } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, problem: { reason: "bad-line", line: lineNo, message: `line ${lineNo} is not JSON` } };
  }
  const parsed = RegistryEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    return {
      ok: false,
      // The issue may quote a key of the damaged line: escaped, so the problem stays one line.
      problem: { reason: "bad-line", line: lineNo, message: printable(`line ${lineNo} is not a registry event: ${issue?.message ?? "invalid"}${where}`) },
    };
  }
  return { ok: true, event: parsed.data };
}

/**
 * Recomputes the chain over `lines` and compares it with `head`. Problems
 * are in line order; the first one names the first line that does not match.
 *
 * When line k was edited, line k+1's `prev` no longer matches it; when the
 * `prev` of line k+1 itself was edited, line k+2's `prev` breaks too. So a
 * break between k and k+1 blames k+1 when the next link is broken as well,
 * and k otherwise.
 */
export function checkChain(lines: readonly string[], head: ChainHead | undefined): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const digests = lines.map(lineDigest);
  const prevs: (string | null | undefined)[] = [];
  for (const [i, line] of lines.entries()) {
    const lineNo = i + 1;
    const decoded = decodeLine(line, lineNo);
    if (!decoded.ok) {
      problems.push(decoded.problem);
      prevs.push(undefined);
      continue;
    }
    prevs.push(decoded.event.prev);
    if (decoded.event.seq !== lineNo) {
      problems.push({ reason: "bad-seq", line: lineNo, message: `line ${lineNo} says it is event ${decoded.event.seq}` });
    }
  }
  // links[i] is true when line i+1 (0-based i) correctly points at line i.
  const linkOk = (i: number): boolean => {
    if (i >= lines.length) return head === undefined ? true : head.digest === digests[lines.length - 1];
    return prevs[i] === (i === 0 ? null : digests[i - 1]);
  };
  for (let i = 0; i < lines.length; i++) {
    if (prevs[i] === undefined || linkOk(i)) continue;
    const blame = i > 0 && !linkOk(i + 1) ? i + 1 : i === 0 ? 1 : i;
    problems.push({
      reason: "chain-broken",
      line: blame,
      message:
        i === 0
          ? "line 1 must have prev null (something was inserted before it or it was edited)"
          : `line ${blame} was changed after it was written: line ${i + 1} records prev ${String(prevs[i])}, but line ${i} now hashes to ${digests[i - 1]}`,
    });
  }
  problems.push(...checkHead(lines, digests, head));
  problems.sort((a, b) => a.line - b.line);
  return dedupe(problems);
}

function checkHead(lines: readonly string[], digests: readonly string[], head: ChainHead | undefined): ChainProblem[] {
  if (lines.length === 0) {
    return head && head.seq > 0
      ? [{ reason: "head-mismatch", line: 1, message: `the log is empty but its head record names line ${head.seq}` }]
      : [];
  }
  if (!head) {
    return [
      {
        reason: "head-missing",
        line: lines.length,
        message: `no head record for a log of ${lines.length} lines (nothing vouches for line ${lines.length}; \`sluice registry anchor --from-git <commit>\` re-anchors a file registry)`,
      },
    ];
  }
  if (head.seq !== lines.length) {
    return [
      {
        reason: "head-mismatch",
        line: Math.min(head.seq, lines.length),
        message: `the head record names line ${head.seq} but the log has ${lines.length} lines (lines removed or appended outside sluice)`,
      },
    ];
  }
  if (head.digest !== digests[lines.length - 1]) {
    return [
      {
        reason: "head-mismatch",
        line: lines.length,
        message: `line ${lines.length} was changed after it was written: the head record holds ${head.digest}, the line hashes to ${digests[lines.length - 1]}`,
      },
    ];
  }
  return [];
}

function dedupe(problems: ChainProblem[]): ChainProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.reason}:${p.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
