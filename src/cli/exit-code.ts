/**
 * The one place an exit code is decided: from the kind of an operation's
 * failure (src/ops/failure.ts), as the public contract in the README fixes.
 * Every command ends here, so no file writes `process.exitCode` itself.
 */
import type { FailureKind, OpFailure } from "../ops/index.js";
import { renderDiagnostic, writeErr } from "../report/index.js";

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
  exitWith(failure.kind);
  return undefined;
}

/** The failure kind of a registry storage failure's exit code (1 failed, 2 usage). */
export function kindOfCode(code: 1 | 2): FailureKind {
  return code === 2 ? "usage" : "failed";
}
