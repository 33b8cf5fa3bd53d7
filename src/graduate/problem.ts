/**
 * Why a notebook cannot be graduated, as data. The command prints the
 * message and exits 2: each is something the user fixes before retrying.
 */

/** Kebab-case reasons a graduation is refused. */
export type GraduateReason =
  | "not-a-notebook"
  | "not-python"
  | "out-of-order"
  | "invalid-name"
  | "bad-file-flag"
  | "script-exists"
  | "stage-exists"
  | "no-project-callback";

/** A refusal: the reason for code, the message for people. */
export interface GraduateProblem {
  readonly reason: GraduateReason;
  /** One or more lines, ready to print. */
  readonly message: string;
}
