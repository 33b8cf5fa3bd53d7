/** Text for `sluice verify`: cache problems, registry verdict, rerun comparisons. */
import type { CacheProblem, CacheVerdict } from "../cache/index.js";
import type { StageResult } from "../exec/index.js";

export function renderCacheProblem(problem: CacheProblem): string {
  switch (problem.kind) {
    case "corrupt-object":
      return `cache/objects: object ${problem.digest} hashes to ${problem.actual} (corrupt; it will be rebuilt when needed)`;
    case "corrupt-record":
      return `cache/records: run record ${problem.key} is unreadable: ${problem.detail}`;
    case "missing-object":
      return `cache/records: run record ${problem.key} (${problem.stage}) names object ${problem.digest}, which is not in the store`;
  }
}

export function renderCacheVerdict(verdict: CacheVerdict): string {
  if (verdict.ok) return `cache: ok (${verdict.objects} objects, ${verdict.records} run records)`;
  return [`cache: ${verdict.problems.length} problem(s)`, ...verdict.problems.map((p) => `  ${renderCacheProblem(p)}`)].join("\n");
}

/** One line per re-executed stage. */
export function renderReruns(results: readonly StageResult[]): string {
  return results
    .filter((r) => r.verification || r.status === "failed" || r.status === "interrupted" || r.status === "skipped")
    .map((r) => {
      const v = r.verification;
      if (!v) return `${r.id}: not compared (${r.status}${r.failure ? `: ${r.failure.message}` : ""})`;
      switch (v.outcome) {
        case "identical":
          return `${r.id}: identical`;
        case "differs":
          return `${r.id}: DIFFERS ${v.outputs.map((o) => `${o.name} recorded ${o.recorded}, rerun ${o.rerun}`).join("; ")}`;
        case "not-rerun":
          return `${r.id}: not rerun (${v.why})`;
      }
    })
    .join("\n");
}
