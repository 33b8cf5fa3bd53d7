/**
 * The `sluice run --json` document (the public contract in DESIGN.md):
 *
 *   { "ok": true,
 *     "stages": [ { "id", "status", "key", "durationMs" } ],
 *     "decisions": [ { "project", "release", "decision", "failed" } ] }
 *
 * Extra fields (`reason`, `why`, `warnings`, `job`) appear only when they carry something.
 */
import type { StageResult } from "../exec/index.js";
import type { StageDecision } from "../pipeline/index.js";

export interface RunDocument {
  readonly ok: boolean;
  readonly stages: readonly {
    readonly id: string;
    readonly status: string;
    readonly key: string | null;
    readonly durationMs: number;
    readonly reason?: string;
    readonly why?: readonly string[];
    readonly warnings?: readonly string[];
    /** A stage that executed as a cluster job: `{ executor, id, node }`. */
    readonly job?: { readonly executor: string; readonly id: string; readonly node: string | null };
  }[];
  readonly decisions: readonly StageDecision[];
  readonly interrupted?: boolean;
}

export function runDocument(ok: boolean, results: readonly StageResult[], interrupted: boolean): RunDocument {
  return {
    ok,
    stages: results.map((r) => ({
      id: r.id,
      status: r.status,
      key: r.key ?? null,
      durationMs: Math.round(r.durationMs),
      ...(r.failure ? { reason: `${r.failure.reason}: ${r.failure.message}` } : {}),
      ...(r.why.length > 0 ? { why: r.why } : {}),
      ...(r.warnings.length > 0 ? { warnings: r.warnings } : {}),
      ...(r.job ? { job: { executor: r.job.executor, id: r.job.id, node: r.job.node ?? null } } : {}),
    })),
    decisions: results.flatMap((r) => r.decisions),
    ...(interrupted ? { interrupted: true } : {}),
  };
}
