/**
 * What a run is asked to do, checked against the loaded workspace before
 * anything is locked or built: the targets, `--force`, `--jobs`, and the
 * stages a `--set` makes a variant of the declared pipeline.
 */
import { selectTargets, withDownstream, type Dag } from "../graph/index.js";
import type { Json, Stage, StageId, Workspace } from "../pipeline/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import { ok } from "../util/result.js";
import { refuse, refuseWith, type OpResult } from "./failure.js";

/** Param overrides per stage (`--set`, parsed by the CLI against the declared types). */
export type ParamOverrides = ReadonlyMap<StageId, Readonly<Record<string, Json>>>;

/** The options of `sluice run` an operation reads, values already parsed. */
export interface RunRequest {
  readonly targets: readonly string[];
  readonly jobs: number;
  readonly keepGoing: boolean;
  /** `--force`: absent, bare (all planned stages) or naming stages. */
  readonly force: readonly string[] | undefined;
  readonly dryRun: boolean;
  readonly overrides: ParamOverrides;
  readonly resources: Readonly<Record<string, number>>;
  readonly failOnHold: boolean;
  /** Wait for the workspace lock instead of failing (`--no-wait` clears it). */
  readonly wait: boolean;
  /** Undeclared outputs fail the stage (`--strict`). */
  readonly strict?: boolean | undefined;
  /** `i/N`: run only shard i of N. */
  readonly shard?: string | undefined;
  /** A `sluice plan --json` document to take the shard from. */
  readonly shardPlan?: string | undefined;
  /** Where stages execute, overriding their declarations: `slurm`, `*:train=slurm`, `local`. */
  readonly executor?: readonly string[] | undefined;
  /** The `--set` values as given, which a cluster job receives to compute the same keys. */
  readonly set?: readonly string[] | undefined;
}

/** A request resolved against the DAG. */
export interface PreparedRun {
  readonly selected: ReadonlySet<StageId>;
  readonly force: "all" | ReadonlySet<StageId>;
  readonly resources: Readonly<Record<string, number>>;
  readonly params: (stage: Stage) => Readonly<Record<string, Json>>;
  /** Stages a `--set` made differ from the declared pipeline (sluice.lock does not take them). */
  readonly variants: ReadonlySet<StageId>;
}

export function prepareRun(loaded: { readonly workspace: Workspace; readonly dag: Dag }, request: RunRequest): OpResult<PreparedRun> {
  const selected = selectTargets(loaded.dag, request.targets);
  if (!selected.ok) return refuseWith(selected.error);
  const force = forceSet(loaded.dag, request.force);
  if (!force.ok) return force;
  if (!Number.isInteger(request.jobs) || request.jobs < 1) return refuse("usage", `--jobs must be a positive whole number (got ${request.jobs})`);
  return ok({
    selected: selected.value,
    force: force.value,
    resources: request.resources,
    params: paramsWith(request.overrides),
    variants: variantStages(loaded.dag, loaded.workspace, request.overrides),
  });
}

function forceSet(dag: Dag, force: readonly string[] | undefined): OpResult<"all" | ReadonlySet<StageId>> {
  if (force === undefined) return ok(new Set());
  const names = force.filter((f) => f !== "");
  if (names.length === 0) return ok("all");
  const matched = selectTargets(dag, names);
  if (!matched.ok) return refuseWith(matched.error);
  // --force names stages, not their upstream.
  return ok(new Set([...matched.value].filter((id) => names.some((n) => id === n || id.startsWith(`${n}:`) || n.includes("*")))));
}

/**
 * The stages a `--set` made differ from the declared pipeline: those whose
 * params it changed, and everything downstream of them. An override equal
 * to the declared value changes nothing.
 */
function variantStages(dag: Dag, workspace: Workspace, overrides: ParamOverrides): ReadonlySet<StageId> {
  const changed = [...overrides]
    .filter(([id, values]) => {
      const declared = workspace.stages.get(id)?.params ?? {};
      return Object.entries(values).some(([name, value]) => canonicalJson(value) !== canonicalJson(declared[name] ?? null));
    })
    .map(([id]) => id);
  return changed.length === 0 ? new Set() : withDownstream(dag, changed);
}

function paramsWith(overrides: ParamOverrides): (stage: Stage) => Readonly<Record<string, Json>> {
  return (stage) => {
    const override = overrides.get(stage.id);
    return override ? { ...stage.params, ...override } : stage.params;
  };
}
