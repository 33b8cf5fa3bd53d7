/**
 * What a run is asked to do, checked against the loaded workspace before
 * anything is locked or built: the targets, `--force`, `--jobs`, and the
 * stages a `--set` makes a variant of the declared pipeline.
 */
import { selectTargets, withDownstream, type Dag } from "../graph/index.js";
import { writtenParams, type Json, type Stage, type StageId, type Workspace } from "../pipeline/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import { ok } from "../util/result.js";
import { refuse, refuseWith, type OpResult } from "./failure.js";
import { workspaceAsSet } from "./param-overrides.js";

/** `--set`, parsed by the CLI against the declared types (param-overrides.ts). */
export interface ParamOverrides {
  /** Values of params declared in pipeline.ts, per stage. */
  readonly inline: ReadonlyMap<StageId, Readonly<Record<string, Json>>>;
  /** The params files a `--set` named, by workspace path: each one's text with those keys set (`workspaceAsSet`). */
  readonly files: ReadonlyMap<string, string>;
}

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
  /** The workspace as the run sees it: its params files as `--set` set them. */
  readonly workspace: Workspace;
  /** Stages a `--set` made differ from the declared pipeline (sluice.lock does not take them). */
  readonly variants: ReadonlySet<StageId>;
}

export function prepareRun(loaded: { readonly workspace: Workspace; readonly dag: Dag }, request: RunRequest): OpResult<PreparedRun> {
  const selected = selectTargets(loaded.dag, request.targets);
  if (!selected.ok) return refuseWith(selected.error);
  const force = forceSet(loaded.dag, request.force);
  if (!force.ok) return force;
  if (!Number.isInteger(request.jobs) || request.jobs < 1) return refuse("usage", `--jobs must be a positive whole number (got ${request.jobs})`);
  const asSet = workspaceAsSet(loaded.workspace, request.overrides);
  return ok({
    selected: selected.value,
    force: force.value,
    resources: request.resources,
    params: paramsWith(request.overrides),
    workspace: asSet,
    variants: variantStages(loaded.dag, loaded.workspace, asSet, request.overrides),
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
 * params it changed, or the words their copy of a params file holds
 * (`2.0` for `2`), and everything downstream of them. An override the
 * declaration already says changes nothing.
 */
function variantStages(dag: Dag, declared: Workspace, asSet: Workspace, overrides: ParamOverrides): ReadonlySet<StageId> {
  const changed: StageId[] = [];
  const params = paramsWith(overrides);
  for (const [id, stage] of asSet.stages) {
    const before = declared.stages.get(id) as Stage;
    // Only a stage a `--set` reached can differ: a plain run compares nothing.
    if (stage === before && !overrides.inline.has(id)) continue;
    const differs =
      canonicalJson(params(stage)) !== canonicalJson(before.params) ||
      // A command reads the copy in those words; a run function only the values.
      (stage !== before && stage.action.kind === "cmd" && canonicalJson(writtenParams(stage)) !== canonicalJson(writtenParams(before)));
    if (differs) changed.push(id);
  }
  return changed.length === 0 ? new Set() : withDownstream(dag, changed);
}

function paramsWith(overrides: ParamOverrides): (stage: Stage) => Readonly<Record<string, Json>> {
  return (stage) => {
    const override = overrides.inline.get(stage.id);
    return override ? { ...stage.params, ...override } : stage.params;
  };
}
