/**
 * A problem in a pipeline definition, as data. `report/` renders it with the
 * source line underlined; the CLI exits 2.
 */
import type { SourceLocation } from "./decl.js";

/** Kebab-case reasons, one per kind of definition error. */
export type DiagnosticReason =
  | "load-failed"
  | "load-interrupted"
  | "load-timeout"
  | "invalid-declaration"
  | "no-pipeline"
  | "not-a-workspace"
  | "duplicate-project"
  | "duplicate-stage"
  | "invalid-name"
  | "unknown-key"
  | "no-action"
  | "two-actions"
  | "bad-run-reference"
  | "computed-import"
  | "duplicate-output"
  | "output-outside-project"
  | "missing-input"
  | "source-is-output"
  | "input-outside-workspace"
  | "unknown-stage"
  | "param-not-json"
  | "bad-params-file"
  | "missing-param"
  | "bad-metrics"
  | "bad-plots"
  | "unknown-placeholder"
  | "cycle"
  | "unknown-target"
  | "bad-param-override"
  | "bad-resources"
  | "bad-executor";

export interface Diagnostic {
  readonly reason: DiagnosticReason;
  readonly message: string;
  /** The stage the problem belongs to, when there is one. */
  readonly stage?: string;
  readonly location?: SourceLocation;
}
