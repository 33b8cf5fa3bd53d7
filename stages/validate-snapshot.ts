/**
 * Stage factory: `validate` — the gate between a snapshot and training.
 *
 * Every project declares the same shape: the snapshot files (and the feature
 * table built from them) in, one gate artifact per check out. The stage
 * succeeds even when a check fails, so the evidence is kept; the train stage
 * depends on these gates and refuses to run when a critical one failed, so a
 * rejected snapshot never reaches training.
 *
 *   snapshot ──> features ──> validate ──(gates)──> train ──> evaluate ──> promote
 *                    └──────────────────────(table)──┘
 */
import { json } from "sluice";
import type { DepsDecl, JsonOutDecl, ParamsDecl, ProjectBuilder, RunContext, StageHandle } from "sluice";
import { GateSchema, type Gate } from "./lib/gate.js";

/** One json output per gate name. */
export type GateOuts<G extends string> = { readonly [K in G]: JsonOutDecl<typeof GateSchema> };

/** Options of {@link validateSnapshot}. */
export interface ValidateSnapshotOptions<D extends DepsDecl, P extends ParamsDecl, G extends string> {
  /** Stage name; default `validate`. */
  readonly name?: string;
  readonly description?: string;
  /** Gate names, as the promotion policy lists them. */
  readonly gates: readonly G[];
  readonly deps: D;
  readonly params: P;
  /** An exported function of the project's own module (its code identity). */
  readonly run: (ctx: RunContext<D, P, GateOuts<G>>) => { readonly [K in G]: Gate };
}

/** Declares the validation stage; its outs are the gate artifacts, by name. */
export function validateSnapshot<const D extends DepsDecl, const P extends ParamsDecl, const G extends string>(
  p: ProjectBuilder,
  options: ValidateSnapshotOptions<D, P, G>,
): StageHandle<GateOuts<G>> {
  return p.stage(options.name ?? "validate", {
    description: options.description ?? "schema, freshness, leakage and row-count gates on the snapshot",
    deps: options.deps,
    params: options.params,
    outs: gateOuts(options.gates),
    run: options.run as never,
  }) as StageHandle<GateOuts<G>>;
}

/** `{ [gate]: json(GateSchema) }` for the given names (default path `out/<stage>/<gate>.json`). */
export function gateOuts<G extends string>(gates: readonly G[]): GateOuts<G> {
  const outs: Record<string, JsonOutDecl<typeof GateSchema>> = {};
  for (const g of [...gates].sort()) outs[g] = json(GateSchema);
  return outs as GateOuts<G>;
}
