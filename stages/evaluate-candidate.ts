/**
 * Stage factory: `evaluate` — judges a trained candidate on the held-out
 * split. Writes the evaluation report (metrics overall and per slice, the
 * champion comparison, calibration) and one gate artifact per model gate.
 *
 * The champion is a dep: the registry supplies the production release's
 * recorded metrics (or null), so a promotion or rollback re-runs exactly the
 * evaluations that compared against the old champion.
 */
import { json } from "sluice";
import type { DepRef, DepsDecl, OutputRef, JsonOutDecl, ParamsDecl, ProjectBuilder, RunContext, StageHandle } from "sluice";
import type { Gate } from "./lib/gate.js";
import { EvaluationReportSchema, type EvaluationReport } from "./lib/schemas.js";
import { gateOuts, type GateOuts } from "./validate-snapshot.js";

/** The report plus one json output per gate. */
export type EvaluateOuts<G extends string> = GateOuts<G> & { readonly report: JsonOutDecl<typeof EvaluationReportSchema> };

/** Options of {@link evaluateCandidate}. */
export interface EvaluateCandidateOptions<D extends DepsDecl, P extends ParamsDecl, G extends string> {
  /** Stage name; default `evaluate`. */
  readonly name?: string;
  readonly description?: string;
  readonly gates: readonly G[];
  /** Feature table, model, policy … and `champion`, the registry's production metrics. */
  readonly deps: D & { readonly champion: DepRef };
  readonly params: P;
  readonly run: (ctx: RunContext<D, P, EvaluateOuts<G>>) => { report: EvaluationReport } & { readonly [K in G]: Gate } | Promise<{ report: EvaluationReport } & { readonly [K in G]: Gate }>;
}

/** Declares the evaluation stage; the report lands at `reports/evaluation.json`. */
export function evaluateCandidate<const D extends DepsDecl, const P extends ParamsDecl, const G extends string>(
  p: ProjectBuilder,
  options: EvaluateCandidateOptions<D, P, G>,
): StageHandle<EvaluateOuts<G>> {
  return p.stage(options.name ?? "evaluate", {
    description: options.description ?? "metrics per slice, champion comparison and model gates",
    deps: options.deps,
    params: options.params,
    outs: { ...gateOuts(options.gates), report: json(EvaluationReportSchema, "reports/evaluation.json") },
    run: options.run as never,
  }) as StageHandle<EvaluateOuts<G>>;
}

/** The gate outputs of an evaluation stage without its report: what the promote stage reads. */
export function gatesOf(outs: Readonly<Record<string, OutputRef>>): Record<string, OutputRef> {
  return Object.fromEntries(Object.entries(outs).filter(([name]) => name !== "report"));
}
