/**
 * How an operation fails, as data: a `kind` the CLI turns into an exit code
 * in one place (src/cli/exit-code.ts), and what to show.
 *
 * - `usage`       the arguments, the pipeline or the workspace are wrong (exit 2)
 * - `failed`      a stage, a verification, a registry write or the environment failed (exit 1)
 * - `held`        a promotion moved nothing and the caller asked to fail on it (exit 3)
 * - `interrupted` stopped by Ctrl-C (exit 130)
 * - `terminated`  stopped by SIGTERM (exit 143)
 */
import type { Diagnostic } from "../pipeline/index.js";
import { fail, type Result } from "../util/result.js";

export type FailureKind = "usage" | "failed" | "held" | "interrupted" | "terminated";

/** A failed operation. Without message or diagnostics the failure was already shown (a run's stage lines). */
export interface OpFailure {
  readonly kind: FailureKind;
  /** One line, shown as `error: <message>`. */
  readonly message?: string;
  /** Problems with a location (a bad `--set`, an unknown target), rendered as diagnostics. */
  readonly diagnostics?: readonly Diagnostic[];
  /** Fields a `--json` error document carries beside the message (a registry refusal's reason, release, missing roles). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A result document, or a typed failure. */
export type OpResult<T> = Result<T, OpFailure>;

/** A failure of `kind` with one message. */
export function refuse(kind: FailureKind, message: string): { readonly ok: false; readonly error: OpFailure } {
  return fail({ kind, message });
}

/** A usage failure made of diagnostics. */
export function refuseWith(diagnostics: readonly Diagnostic[]): { readonly ok: false; readonly error: OpFailure } {
  return fail({ kind: "usage", diagnostics });
}
