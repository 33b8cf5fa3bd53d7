/**
 * Reads a JSON-lines file of live windows. All or nothing: one bad line
 * rejects the whole file, because recording half a file would let a replay of
 * the fixed file look like new evidence for windows already judged.
 */
import type { z } from "zod";
import { printable } from "../util/printable.js";
import { fail, ok, type Result } from "../util/result.js";
import { LiveWindow } from "../../contracts/index.js";
import { windowKey } from "./live-window.js";

/** Why a line of a window file was rejected. */
export type WindowProblemReason = "bad-json" | "invalid-window" | "duplicate-window";

/** One rejected line, with its 1-based line number and a one-line message. */
export interface WindowProblem {
  readonly reason: WindowProblemReason;
  /** 1-based line number in the file. */
  readonly line: number;
  /** `<source>:<line>: <what is wrong>`, ready to print. */
  readonly message: string;
}

/**
 * Parses JSONL text into windows, in file order. Blank lines are skipped;
 * every problem in the file is collected, not just the first.
 *
 * @param text the file's contents
 * @param source the name used in messages, usually the file path
 */
export function parseWindows(text: string, source = "windows"): Result<LiveWindow[], WindowProblem[]> {
  const windows: LiveWindow[] = [];
  const problems: WindowProblem[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.split(/\r?\n/);

  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === "") continue;
    const report = (reason: WindowProblemReason, what: string): void => {
      // What a broken line holds is echoed in the message: keep it one plain line.
      problems.push({ reason, line, message: `${source}:${line}: ${printable(what)}` });
    };

    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      report("bad-json", `not JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = LiveWindow.safeParse(json, { error: missingField });
    if (!parsed.success) {
      report("invalid-window", describeIssues(parsed.error.issues));
      continue;
    }
    const key = windowKey(parsed.data);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      report("duplicate-window", `window ${key} already appears on line ${earlier}`);
      continue;
    }
    firstLine.set(key, line);
    windows.push(parsed.data);
  }
  return problems.length > 0 ? fail(problems) : ok(windows);
}

/** Says "required" for an absent field instead of zod's "expected number, received undefined". */
function missingField(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === "invalid_type" && issue.input === undefined ? "required field is missing" : undefined;
}

/** Joins zod issues as `path: message; path: message`; an issue on the whole value reads `(root)`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`).join("; ");
}

function issuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    text += typeof part === "number" ? `[${part}]` : `${text === "" ? "" : "."}${String(part)}`;
  }
  return text === "" ? "(root)" : text;
}
