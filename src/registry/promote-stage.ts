/**
 * The promote stage a project ends with. It declares the gate artifacts it
 * depends on and, when it runs, registers the candidate as an immutable
 * release and opens the canary only if every required gate exists and
 * passed; otherwise it records `hold` with the failed gates, moves nothing,
 * and reports status `held`. Production never moves here.
 *
 *   import { promoteAlias } from "sluice/registry";
 *
 *   promoteAlias(p, {
 *     data: { id: "events_2026_05", artifact: snapshot.outs.events },
 *     features: { version: "eta_features_v1", artifact: features.outs.table },
 *     model: { id: "delay_model", artifact: train.outs.model },
 *     actionPolicy: { id: "warning_v1", artifact: train.outs.policy },
 *     evaluation: evaluate.outs.report,
 *     gates: { schema: validate.outs.gate, eval: evaluate.outs.gates },
 *     checksChampion: true,
 *   });
 *
 * The project (its policy section, its registry state, its champion) is the
 * builder's: a copied project never compares against another's champion.
 */
import { join } from "node:path";
import { PromotionRecord } from "../../contracts/index.js";
import {
  json,
  packagedFunction,
  type DepRef,
  type Json,
  type JsonOutDecl,
  type OutputRef,
  type ProjectBuilder,
  type RunContext,
  type SourceRef,
  type StageHandle,
} from "../pipeline/index.js";
import { pipelineCommit } from "./actor.js";
import { aliasDep, promotionStateDep } from "./alias-dep.js";
import { assembleCandidate } from "./assemble-candidate.js";
import { openRegistry, registryBackend } from "./open-registry.js";
import { loadProjectPolicy } from "./policy.js";
import { policyLocation, projectPolicyDep } from "./policy-section.js";
import { describeRefusal } from "./refusal.js";
import { RegistryState } from "./registry-state.js";
import { retrainTrigger } from "./retrain-trigger.js";
import { storageFailureExitCode } from "./storage-failure.js";

/** An upstream output or a project source file. */
export type ArtifactRef = OutputRef | SourceRef;

/** What a promote stage is told about the candidate. */
export interface PromoteAliasOptions {
  /** Stage name; default `promote`. */
  readonly name?: string;
  readonly data: { readonly id: string; readonly artifact: ArtifactRef };
  readonly features: { readonly version: string; readonly artifact: ArtifactRef };
  readonly model: { readonly id: string; readonly artifact: ArtifactRef };
  /** The action policy artifact (`{ thresholds, rules? }`). */
  readonly actionPolicy: { readonly id: string; readonly artifact: ArtifactRef };
  /** The evaluation report (`{ metrics, ... }`). */
  readonly evaluation: ArtifactRef;
  /** Gate artifacts by a short name; each holds one gate or a list of gates. */
  readonly gates: Readonly<Record<string, ArtifactRef>>;
  /**
   * Whether the evaluation compared the candidate with the project's
   * production release: then a champion that moved since refuses the
   * promotion (the comparison is stale). Default false.
   */
  readonly checksChampion?: boolean;
  /** Workspace-relative policy file; default `contracts/promotion_policy.json`. */
  readonly policyFile?: string;
  /** Why this candidate was built (continuous training); recorded in lineage. Default: the `sluice retrain` that started the run, if any. */
  readonly trigger?: { readonly kind: "manual" | "schedule" | "drift"; readonly cause: string };
}

/** Params of the promote stage (JSON, so they enter its key). */
export interface PromoteParams {
  readonly [key: string]: Json;
  readonly ids: { readonly data: string; readonly features: string; readonly model: string; readonly actionPolicy: string };
  readonly gates: string[];
  readonly trigger: { readonly kind: "manual" | "schedule" | "drift"; readonly cause: string } | null;
  readonly checksChampion: boolean;
  /** The workspace-relative policy file the decision reads. */
  readonly policyFile: string;
}

type PromoteOuts = { readonly decision: JsonOutDecl<typeof PromotionRecord> };

/** Declares the promote stage of project `p`. */
export function promoteAlias(p: ProjectBuilder, options: PromoteAliasOptions): StageHandle<PromoteOuts> {
  const policy = policyLocation(p.dir, options.policyFile);
  const deps: Record<string, DepRef> = {
    data: options.data.artifact,
    features: options.features.artifact,
    model: options.model.artifact,
    action_policy: options.actionPolicy.artifact,
    evaluation: options.evaluation,
    // This project's section of the policy, not the whole file: another project's policy edit leaves this key alone.
    policy: projectPolicyDep(p.name, policy.file),
  };
  for (const [name, ref] of Object.entries(options.gates)) deps[`gate_${name}`] = ref;
  // Not read by the run function: it puts the registry state the decision depends on into the key.
  deps["registry_state"] = promotionStateDep(p.name);
  if (options.checksChampion === true) deps["champion"] = aliasDep(p.name);
  const params: PromoteParams = {
    ids: { data: options.data.id, features: options.features.version, model: options.model.id, actionPolicy: options.actionPolicy.id },
    gates: Object.keys(options.gates).sort(),
    // A run started by `sluice retrain` says why; a plain run has no trigger.
    trigger: options.trigger ?? retrainTrigger(p.name),
    checksChampion: options.checksChampion === true,
    policyFile: policy.file,
  };
  return p.stage(options.name ?? "promote", {
    description: "register the candidate; open the canary only when every required gate passed",
    deps,
    params,
    outs: { decision: json(PromotionRecord) },
    run: packagedFunction(runPromoteAlias),
    // The decision's effect is in the registry: a hit is replayed only while the registry still holds it.
    confirmHit: ({ workspaceRoot, decisions }) => registryStillHolds(workspaceRoot, p.name, decisions),
  }) as StageHandle<PromoteOuts>;
}

/** Why a cached promotion may not be replayed (the registry was wiped or rebuilt since), or undefined. */
async function registryStillHolds(root: string, project: string, decisions: readonly unknown[]): Promise<string | undefined> {
  const recorded = decisions[0] as { readonly release?: string; readonly manifestDigest?: string } | undefined;
  if (recorded?.release === undefined) return undefined;
  // Read-only: no handle (whose actor would ask git who is acting) on every cached run.
  const release = RegistryState.fold((await registryBackend(root).read()).events).release(project, recorded.release);
  if (!release) return `the registry no longer holds ${recorded.release}`;
  if (release.manifestDigest !== recorded.manifestDigest) return `${project}'s ${recorded.release} in the registry is not the release this result recorded`;
  return undefined;
}

/** The promote stage's function (runs in a worker; its code identity is the installed sluice's version). */
export async function runPromoteAlias(
  ctx: RunContext<Record<string, DepRef>, PromoteParams, PromoteOuts>,
): Promise<{ decision: PromotionRecord }> {
  const root = ctx.workspaceRoot;
  const project = ctx.id.slice(0, ctx.id.indexOf(":"));
  const deps = ctx.deps as Readonly<Record<string, unknown>>;
  const policy = await loadProjectPolicy(root, project, join(root, ctx.params.policyFile));
  if (!policy.ok) throw stageRefusal(describeRefusal(policy.error));
  const { ids } = ctx.params;
  const candidate = await assembleCandidate({
    root,
    project,
    policy: policy.value,
    data: { id: ids.data, value: deps["data"] },
    features: { version: ids.features, value: deps["features"] },
    model: { id: ids.model, value: deps["model"] },
    actionPolicy: { id: ids.actionPolicy, value: deps["action_policy"] },
    evaluation: deps["evaluation"],
    gates: Object.fromEntries(ctx.params.gates.map((name) => [`gate_${name}`, deps[`gate_${name}`]])),
  });
  if (!candidate.ok) throw contractViolation(candidate.error.message);
  const submitted = await refusingRegistryFailures(async () =>
    (await openRegistry(root)).submitCandidate({
      candidate: candidate.value,
      lineage: { stageKeys: upstreamKeys(ctx), pipelineCommit: pipelineCommit(root), trigger: ctx.params.trigger },
      policy: policy.value,
      ...(ctx.params.checksChampion ? { champion: (deps["champion"] ?? null) as string | null } : {}),
    }),
  );
  if (!submitted.ok) throw stageRefusal(describeRefusal(submitted.error));
  const outcome = submitted.value;
  const record: PromotionRecord = {
    project,
    release: outcome.release,
    tupleDigest: outcome.tupleDigest,
    decision: outcome.decision,
    failed: [...outcome.failed],
    label: outcome.label,
  };
  ctx.log(`${outcome.release}: ${outcome.label}${outcome.replayed ? " (already decided)" : ""}`);
  // The run record's decision also names the manifest digest: a hit is replayed only while the registry holds that manifest.
  ctx.decide({ ...record, manifestDigest: outcome.manifestDigest, replayed: outcome.replayed }, { held: outcome.decision === "hold" });
  return { decision: record };
}

/** An error the engine can tell from a crash by its name (it adds the `contract-violation:` prefix itself). */
function contractViolation(message: string): Error {
  const error = new Error(message);
  error.name = "ContractViolation";
  return error;
}

/** A deliberate refusal: the engine reports its message without stack frames. */
function stageRefusal(message: string): Error {
  const error = new Error(message);
  error.name = "StageRefusal";
  return error;
}

/** Runs a registry operation, turning the storage's expected failures into refusals. */
async function refusingRegistryFailures<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    // The storage's state (damaged log, lock held, server down), not a bug here.
    if (storageFailureExitCode(error) !== undefined) throw stageRefusal((error as Error).message);
    throw error;
  }
}

/**
 * Stage keys of the upstream stages, when the engine provides them on the
 * context (`ctx.upstreamKeys`); empty otherwise.
 */
function upstreamKeys(ctx: object): Record<string, string> {
  const keys = (ctx as { upstreamKeys?: unknown }).upstreamKeys;
  if (typeof keys !== "object" || keys === null) return {};
  return Object.fromEntries(Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
