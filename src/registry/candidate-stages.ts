/**
 * Stage factories for the candidate a promote stage releases: validation
 * gates on a snapshot, training (model, action policy, summary), and
 * evaluation (report plus model gates). Each declares its outputs with the
 * release contracts, so what a project writes is what the promote stage
 * reads; the project brings its own functions.
 *
 *   snapshot ──> features ──> validate ──(gates)──> train ──> evaluate ──> promote
 *                    └──────────────────────(table)──┘
 *
 * The evaluation's champion is the builder's project's production release,
 * and its champion/challenger rule the project's own section of the policy.
 */
import type { z } from "zod";
import { ActionPolicy, EvaluationReport, GateResult, TrainingSummary, type ChampionChallengerRule } from "../../contracts/index.js";
import {
  file,
  json,
  type DepsDecl,
  type FileOutDecl,
  type JsonOutDecl,
  type LazyRun,
  type OutputRef,
  type ParamsDecl,
  type ProjectBuilder,
  type RunContext,
  type StageHandle,
} from "../pipeline/index.js";
import { championDep } from "./alias-dep.js";
import { championRuleOf, championRuleSource } from "./policy-section.js";

/** One json output per gate name. */
export type GateOuts<G extends string> = { readonly [K in G]: JsonOutDecl<typeof GateResult> };

/** The values a stage returns for gates `G`. */
export type GateValues<G extends string> = { readonly [K in G]: z.input<typeof GateResult> };

/** A stage function's result, maybe awaited. */
type Returns<T> = T | Promise<T>;

/** `{ [gate]: json(GateResult) }` for the given names (default path `out/<stage>/<gate>.json`). */
export function gateOuts<G extends string>(gates: readonly G[]): GateOuts<G> {
  const outs: Record<string, JsonOutDecl<typeof GateResult>> = {};
  for (const g of [...gates].sort()) outs[g] = json(GateResult);
  return outs as GateOuts<G>;
}

/** Options of {@link validateSnapshot}. */
export interface ValidateSnapshotOptions<D extends DepsDecl, P extends ParamsDecl, G extends string> {
  /** Stage name; default `validate`. */
  readonly name?: string;
  readonly description?: string;
  /** Gate names, as the promotion policy lists them. */
  readonly gates: readonly G[];
  readonly deps: D;
  readonly params: P;
  /** The project's function, best named with `runFrom` so planning never loads its module. */
  readonly run: ValidateFn<D, P, G> | LazyRun;
}

/** The function of a validation stage: one gate value per gate name. */
export type ValidateFn<D extends DepsDecl, P extends ParamsDecl, G extends string> = (ctx: RunContext<D, P, GateOuts<G>>) => Returns<GateValues<G>>;

/**
 * Declares the validation stage; its outs are the gate artifacts, by name.
 * It succeeds even when a check fails, so the evidence is kept; the stages
 * that consume the snapshot depend on the gates and refuse a failed one.
 */
export function validateSnapshot<const D extends DepsDecl, const P extends ParamsDecl, const G extends string>(
  p: ProjectBuilder,
  options: ValidateSnapshotOptions<D, P, G>,
): StageHandle<GateOuts<G>, ValidateFn<D, P, G>> {
  return p.stage(options.name ?? "validate", {
    description: options.description ?? "schema, freshness, leakage and row-count gates on the snapshot",
    deps: options.deps,
    params: options.params,
    outs: gateOuts(options.gates),
    run: options.run as never,
  }) as StageHandle<GateOuts<G>, ValidateFn<D, P, G>>;
}

/** The outputs every train stage declares. */
export type TrainOuts<A extends z.ZodType<ActionPolicy> = typeof ActionPolicy> = {
  readonly model: FileOutDecl;
  readonly policy: JsonOutDecl<A>;
  readonly training: JsonOutDecl<typeof TrainingSummary>;
};

/** Options of {@link trainCandidate}. */
export interface TrainCandidateOptions<D extends DepsDecl, P extends ParamsDecl, A extends z.ZodType<ActionPolicy>> {
  /** Stage name; default `train`. */
  readonly name?: string;
  readonly description?: string;
  /** Project-relative path of the model file (`model/delay_model.json`). */
  readonly modelPath: string;
  /** The contract of the action policy; default the release's `ActionPolicy`. */
  readonly policyContract?: A;
  /** The feature table and the validation gates. */
  readonly deps: D;
  readonly params: P;
  /** The project's function, best named with `runFrom` so planning never loads its module. */
  readonly run: TrainFn<D, P, A> | LazyRun;
}

/** The function of a training stage: it writes the model file and returns the policy and the summary. */
export type TrainFn<D extends DepsDecl, P extends ParamsDecl, A extends z.ZodType<ActionPolicy> = typeof ActionPolicy> = (
  ctx: RunContext<D, P, TrainOuts<A>>,
) => Returns<{ policy: z.input<A>; training: z.input<typeof TrainingSummary> }>;

/** Declares the training stage: the model file, its action policy and a training summary. */
export function trainCandidate<const D extends DepsDecl, const P extends ParamsDecl, A extends z.ZodType<ActionPolicy> = typeof ActionPolicy>(
  p: ProjectBuilder,
  options: TrainCandidateOptions<D, P, A>,
): StageHandle<TrainOuts<A>, TrainFn<D, P, A>> {
  return p.stage(options.name ?? "train", {
    description: options.description ?? "train the candidate model and choose its action policy",
    deps: options.deps,
    params: options.params,
    outs: {
      model: file(options.modelPath),
      policy: json(options.policyContract ?? ActionPolicy),
      training: json(TrainingSummary),
    },
    run: options.run as never,
  }) as StageHandle<TrainOuts<A>, TrainFn<D, P, A>>;
}

/** The report plus one json output per gate. */
export type EvaluateOuts<G extends string, R extends z.ZodType<EvaluationReport> = typeof EvaluationReport> = GateOuts<G> & {
  readonly report: JsonOutDecl<R>;
};

/** The deps of an evaluation: the declared ones plus `champion`, the production release's metrics (or null). */
export type EvaluateDeps<D extends DepsDecl> = D & { readonly champion: ReturnType<typeof championDep> };

/**
 * The params of an evaluation: the declared ones plus `championRule`, the
 * project's rule from the policy, and `championRuleSource`, where it is written.
 */
export type EvaluateParams<P extends ParamsDecl> = P & { readonly championRule: ChampionChallengerRule; readonly championRuleSource: string };

/** Options of {@link evaluateCandidate}. */
export interface EvaluateCandidateOptions<D extends DepsDecl, P extends ParamsDecl, G extends string, R extends z.ZodType<EvaluationReport>> {
  /** Stage name; default `evaluate`. */
  readonly name?: string;
  readonly description?: string;
  /** Gate names; `championGate` names the one the policy's champion/challenger rule decides. */
  readonly gates: readonly G[];
  /** The gate the policy's `championChallenger` rule decides (it must name the same gate). */
  readonly championGate: NoInfer<G>;
  /** The contract of the report; default the release's `EvaluationReport` (`{ metrics }`). */
  readonly reportContract?: R;
  /** Feature table, model, policy …; `champion` is added. */
  readonly deps: D;
  readonly params: P;
  /** The project's function, best named with `runFrom` so planning never loads its module. */
  readonly run: EvaluateFn<D, P, G, R> | LazyRun;
}

/** The function of an evaluation stage: the report and one gate value per gate name. */
export type EvaluateFn<D extends DepsDecl, P extends ParamsDecl, G extends string, R extends z.ZodType<EvaluationReport> = typeof EvaluationReport> = (
  ctx: RunContext<EvaluateDeps<D>, EvaluateParams<P>, EvaluateOuts<G, R>>,
) => Returns<{ report: z.input<R> } & GateValues<G>>;

/**
 * Declares the evaluation stage; the report lands at `reports/evaluation.json`.
 * The champion is a dep (a promotion or rollback reruns exactly the
 * evaluations that compared against the old one) and the rule a param
 * (editing the policy's rule reruns this evaluation and no other project's).
 */
export function evaluateCandidate<
  const D extends DepsDecl,
  const P extends ParamsDecl,
  const G extends string,
  R extends z.ZodType<EvaluationReport> = typeof EvaluationReport,
>(p: ProjectBuilder, options: EvaluateCandidateOptions<D, P, G, R>): StageHandle<EvaluateOuts<G, R>, EvaluateFn<D, P, G, R>> {
  let championRule: ChampionChallengerRule;
  try {
    championRule = championRuleOf(p, options.championGate);
  } catch (error) {
    // The load diagnostic points at the pipeline file that declared the evaluation, not at this module.
    if (error instanceof Error) Error.captureStackTrace(error, evaluateCandidate);
    throw error;
  }
  return p.stage(options.name ?? "evaluate", {
    description: options.description ?? "metrics per slice, champion comparison and model gates",
    deps: { ...options.deps, champion: championDep(p.name) },
    params: { ...options.params, championRule, championRuleSource: championRuleSource(p) },
    outs: { ...gateOuts(options.gates), report: json(options.reportContract ?? EvaluationReport, "reports/evaluation.json") },
    run: options.run as never,
  }) as StageHandle<EvaluateOuts<G, R>, EvaluateFn<D, P, G, R>>;
}

/** The gate outputs of an evaluation stage without its report: what the promote stage reads. */
export function gatesOf<O extends Readonly<Record<string, OutputRef>>>(outs: O): Omit<O, "report"> {
  return Object.fromEntries(Object.entries(outs).filter(([name]) => name !== "report")) as Omit<O, "report">;
}

