/**
 * The one place an exit code is decided: from the kind of an operation's
 * failure (src/ops/failure.ts), as the public contract in the README fixes.
 * Every command ends here, so no file writes `process.exitCode` itself.
 */
import type { FailureKind, OpFailure } from "../ops/index.js";
import type { Diagnostic } from "../pipeline/index.js";
import { relativise, renderDiagnostic, writeErr } from "../report/index.js";
import { onCommandStart } from "../util/command-scope.js";

/** Exit codes of the public contract, by failure kind. */
export const EXIT: Readonly<Record<FailureKind | "ok", number>> = { ok: 0, failed: 1, usage: 2, held: 3, interrupted: 130, terminated: 143 };

/** Sets the exit code of `kind` (ok: 0). */
export function exitWith(kind: FailureKind | "ok"): void {
  process.exitCode = EXIT[kind];
}

/** Shows a failure (its diagnostics, else its message as `error:`) and sets its exit code. Returns undefined for `return fail(...)`. */
export function exitWithFailure(failure: OpFailure): undefined {
  for (const diagnostic of failure.diagnostics ?? []) writeErr(renderDiagnostic(diagnostic));
  if (failure.message !== undefined) writeErr(`error: ${failure.message}`);
  if (failure.kind === "usage") {
    noteUsageProblems([...(failure.diagnostics ?? []).map(problemOf), ...(failure.message !== undefined ? [{ message: failure.message }] : [])]);
  }
  exitWith(failure.kind);
  return undefined;
}

/** One reason a command exits 2, as `--json` reports it. */
export interface UsageProblem {
  readonly message: string;
  readonly reason?: string;
  readonly stage?: string;
  readonly file?: string;
  readonly line?: number;
}

const usageProblems: UsageProblem[] = [];
// A command starts with no exit code and no problems: the server runs many in one process.
onCommandStart(() => {
  usageProblems.splice(0);
  process.exitCode = undefined;
});

/** Keeps what made the command exit 2, for the `--json` error document (main.ts). */
export function noteUsageProblems(problems: readonly UsageProblem[]): void {
  usageProblems.push(...problems);
}

/** A definition error as a problem of the error document: its message as stderr shows it, its file absolute. */
function problemOf(diagnostic: Diagnostic): UsageProblem {
  const { reason, stage, location } = diagnostic;
  return { message: relativise(diagnostic.message), reason, ...(stage ? { stage } : {}), ...(location ? { file: location.file, line: location.line } : {}) };
}

/**
 * What `--json` prints on stdout in place of a command's document when the
 * command exited 2 before printing one: a script reading stdout still gets
 * one JSON document, in the shape registry refusals already have.
 */
export function usageErrorDocument(): string {
  const problems = usageProblems.length > 0 ? usageProblems : [{ message: "usage error (see stderr)" }];
  return JSON.stringify({ ok: false, error: { kind: "usage", message: problems[0]?.message, problems } }, null, 2);
}

/** The failure kind of a registry storage failure's exit code (1 failed, 2 usage). */
export function kindOfCode(code: 1 | 2): FailureKind {
  return code === 2 ? "usage" : "failed";
}
