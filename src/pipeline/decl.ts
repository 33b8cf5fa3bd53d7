/**
 * What users write in a `pipeline.ts`: loose declarations, typed for
 * inference. Nothing here is validated; `validate.ts` turns a declared
 * workspace into the engine's `Stage` model.
 */
import type { z } from "zod";

/** JSON values, the only thing a param or a json artifact may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a declaration was written, recorded from the call site. */
export interface SourceLocation {
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** How a file, directory or metrics output is kept (`file("model.pt", { persist: true })`). */
export interface OutOptions {
  /**
   * The stage finds its previous copy of the output at its path when it
   * runs (resumable training, an append-only log) instead of an empty place.
   * What it finds is not part of its key: the stage must give the same
   * result whether it resumes or starts afresh. A failed run leaves the
   * previous copy in the workspace.
   */
  readonly persist?: boolean;
  /**
   * `false`: the bytes are hashed and recorded but not stored in the cache
   * nor pushed to the remote (a large scratch file, a metrics file kept in
   * git). The stage is a hit only while the workspace still holds exactly
   * those bytes; otherwise it runs again.
   */
  readonly cache?: boolean;
}

/** A declared file output, written by the stage at `path` (project-relative). */
export interface FileOutDecl extends OutOptions {
  readonly kind: "file";
  readonly path: string;
}

/** A declared directory output; every file below it is part of the artifact. */
export interface DirOutDecl extends OutOptions {
  readonly kind: "dir";
  readonly path: string;
}

/**
 * A declared JSON output checked by a zod contract when it is written and
 * again when a downstream stage reads it. Without a path it lives under
 * `out/<stage>/<name>.json` in the project.
 */
export interface JsonOutDecl<S extends z.ZodType = z.ZodType> {
  readonly kind: "json";
  readonly path: string | undefined;
  readonly schema: S;
}

/**
 * A declared metrics file (JSON or YAML, by its extension): a file output
 * that `sluice metrics show|diff` reads. It may lie inside a directory
 * output of the same stage, which then holds it.
 */
export interface MetricsOutDecl extends OutOptions {
  readonly kind: "metrics";
  readonly path: string;
}

/** How a plot reads its file: the x column, the y column(s), a title. */
export interface PlotOptions {
  /** The column along x; default `step` when the file has one, else the row number. */
  readonly x?: string;
  /** The column(s) drawn; default every column of numbers other than x and `timestamp` (dvclive's). */
  readonly y?: string | readonly string[];
  /** The plot's title; default the file's path. */
  readonly title?: string;
}

/**
 * A declared plot: a series file (`.json`, `.csv` or `.tsv`, by its
 * extension) or a folder of them (dvclive's `dvclive/plots/metrics`), that
 * `sluice plots show|diff` and the HTML report draw. Like a metrics file it
 * may lie inside a directory output of the same stage, which then holds it.
 */
export interface PlotsOutDecl {
  readonly kind: "plots";
  readonly path: string;
  readonly options: PlotOptions;
}

export type OutDecl = FileOutDecl | DirOutDecl | JsonOutDecl | MetricsOutDecl | PlotsOutDecl;

/**
 * Keys of a params file (YAML or JSON, by its extension) a stage reads, as
 * dotted paths (`featurize.max_features`). Only the named keys' values enter
 * the stage key, and only they are in the copy of the file the stage sees.
 */
export interface ParamsFileDecl {
  readonly kind: "params-file";
  /** Project-relative path. */
  readonly path: string;
  readonly keys: readonly string[];
}

/** A raw input file or directory of the project (a CSV, a script). */
export interface SourceRef {
  readonly ref: "source";
  /** Project-relative path. */
  readonly path: string;
}

/** One output of another stage, referenced as a value so the DAG comes from the types. */
export interface OutputRef<O extends OutDecl = OutDecl> {
  readonly ref: "output";
  /** The stage that writes the output. */
  readonly stage: StageHandle;
  /** The output's name in that stage's `outs`. */
  readonly name: string;
  readonly out: O;
}

/**
 * A value from outside the workspace files whose digest enters the stage key,
 * resolved once per run. The registry uses it to make an evaluation depend on
 * the release that `production` currently points at, without the engine
 * knowing what a release is.
 */
export interface ExternalRef<T extends Json = Json> {
  readonly ref: "external";
  /** A stable name shown by `explain` ("registry:eta@production"). */
  readonly id: string;
  /** Returns the value handed to the stage; its canonical digest is the dep digest. */
  readonly resolve: (ctx: { readonly workspaceRoot: string }) => T | Promise<T>;
}

/**
 * A file fetched from an http(s) URL, pinned by the digest of its bytes: the
 * pin is what enters the stage key, so planning needs no network, and bytes
 * that do not match it are refused. Fetched once into the cache and placed
 * at `path` (project-relative) in the workspace.
 */
export interface UrlRef {
  readonly ref: "url";
  readonly url: string;
  /** The digest of the bytes, as `sluice pin <url>` prints it; undefined is a definition error that says how to pin. */
  readonly digest: string | undefined;
  /** Project-relative path where the stage finds the file. */
  readonly path: string;
}

export type DepRef = SourceRef | OutputRef | ExternalRef | UrlRef;

/** The value a stage function receives for each kind of dep. */
export type DepValue<D> = D extends OutputRef<infer O>
  ? O extends JsonOutDecl<infer S>
    ? z.output<S>
    : string
  : D extends ExternalRef<infer T>
    ? T
    : string;

/** What a `run` function may return: the values of its json outputs. */
export type JsonOutValues<O> = {
  [K in keyof O as O[K] extends JsonOutDecl ? K : never]: O[K] extends JsonOutDecl<infer S> ? z.input<S> : never;
};

/** A decision a stage reports (a promotion, a hold); carried into `run --json`. */
export interface StageDecision {
  readonly project: string;
  readonly decision: string;
  readonly [field: string]: Json;
}

/** The context a `run` function receives. */
export interface RunContext<D, P, O> {
  /** Stage id, `<project>:<stage>`. */
  readonly id: string;
  /** Absolute path of the project directory. */
  readonly projectDir: string;
  /** Absolute path of the workspace root. */
  readonly workspaceRoot: string;
  /** Paths of file/dir/source deps; parsed, contract-checked values of json deps. */
  readonly deps: { readonly [K in keyof D]: DepValue<D[K]> };
  readonly params: P;
  /**
   * The values of the keys named by `paramsFiles`, by `<file>:<key>` as
   * declared (`"params.yaml:train.lr"`), a `--set` applied.
   */
  readonly fileParams: Readonly<Record<string, Json>>;
  /** Stage keys of every stage upstream of this one, transitively, by stage id: lineage for releases. */
  readonly upstreamKeys: Readonly<Record<string, string>>;
  /** Absolute paths to write file and dir outputs to (temporary until the stage succeeds). */
  readonly outs: { readonly [K in keyof O]: string };
  /** Appends a line to the stage log (replayed on cache hits). */
  log(...parts: unknown[]): void;
  /**
   * Records a decision. With `held: true` the stage reports status `held`:
   * it succeeded but moved nothing.
   */
  decide(decision: StageDecision, options?: { readonly held?: boolean }): void;
}

export type DepsDecl = Readonly<Record<string, DepRef>>;
export type ParamsDecl = Readonly<Record<string, Json>>;
export type OutsDecl = Readonly<Record<string, OutDecl>>;

interface StageDeclBase<D extends DepsDecl, P extends ParamsDecl, O extends OutsDecl> {
  readonly description?: string;
  readonly deps?: D;
  readonly params?: P;
  /**
   * Params read from files (`paramsFrom("params.yaml", ["train.lr"])`): a
   * `cmd` finds the file at its path with exactly the named keys, and a `run`
   * function finds their values in `ctx.params` as `"params.yaml:train.lr"`.
   */
  readonly paramsFiles?: readonly ParamsFileDecl[];
  readonly outs?: O;
  /** Names of environment variables whose values enter the stage key. */
  readonly env?: readonly string[];
  /** Commands whose output enters the stage key (`python3 --version`). */
  readonly probes?: readonly string[];
  /** Scheduler resources this stage holds while it runs (`{ gpu: 1, memGiB: 8 }`). */
  readonly resources?: Readonly<Record<string, number>>;
  /** Never a cache hit: the stage runs every time it is planned. */
  readonly alwaysRun?: boolean;
  /**
   * Never runs: downstream stages read its outputs as the workspace holds
   * them (restored from the result `sluice.lock` records when missing),
   * whatever its code, params or deps now say.
   */
  readonly frozen?: boolean;
  /**
   * The folder (project-relative) a `cmd` runs in instead of the project
   * folder; `{deps.x}` and `{outs.y}` are then relative to it. Part of the key.
   */
  readonly wdir?: string;
  /**
   * Where the stage executes when it is not a hit: `"local"` (the default)
   * or `"slurm"` (a job on the cluster `defineWorkspace({ slurm })` or the
   * SLUICE_SLURM_* variables describe). Not part of the key: the same
   * inputs give the same key wherever they run. `--executor` overrides it.
   */
  readonly executor?: ExecutorName;
  /**
   * Asked before a cache hit is served, for a stage whose effect lives
   * outside the workspace (a registry entry, a deployment): return a reason
   * when that effect is gone, and the stage runs again instead of replaying.
   */
  readonly confirmHit?: ConfirmHit;
}

/** What {@link StageDeclBase.confirmHit} is shown: the decisions the hit would replay. */
export interface CachedHit {
  readonly workspaceRoot: string;
  readonly decisions: readonly Json[];
}

/** Returns why a cached result may not be reused, or undefined to reuse it. */
export type ConfirmHit = (hit: CachedHit) => string | undefined | Promise<string | undefined>;

/** The function a `run` stage with deps `D`, params `P` and outs `O` executes. */
export type RunFunction<D, P, O> = (ctx: RunContext<D, P, O>) => JsonOutValues<O> | void | Promise<JsonOutValues<O> | void>;

/**
 * A `run` function named by its module and export instead of held as a value
 * (`runFrom(() => import("./train.js"), "train")`): planning neither imports
 * nor evaluates the module; the stage's worker loads it when the stage
 * executes. Its code identity is that module and its import closure, found
 * by the static import scan. Minted only by `runFrom`.
 */
export interface LazyRun {
  readonly kind: "lazy-run";
  /** The `() => import("./module.js")` written in the pipeline file; called only where the stage executes. */
  readonly load: () => Promise<unknown>;
  /** The name the module exports the function under. */
  readonly exportName: string;
  /** Where `runFrom` was called: the module specifier is relative to this file. */
  readonly location: SourceLocation;
}

/** A stage that runs a TypeScript function in a worker thread. */
export interface RunStageDecl<D extends DepsDecl, P extends ParamsDecl, O extends OutsDecl>
  extends StageDeclBase<D, P, O> {
  /**
   * The function, or a {@link LazyRun} naming where it is exported. A lazy
   * reference keeps planning from evaluating stage code; the function's
   * module then types its context from the stage's handle
   * (`StageContextOf<Stages["train"]>`), so renaming a dep fails there at
   * compile time.
   */
  readonly run: RunFunction<D, P, O> | LazyRun;
  readonly cmd?: never;
}

/** A stage that runs a shell command with `{deps.x}`, `{outs.y}`, `{params.z}` placeholders. */
export interface CmdStageDecl<D extends DepsDecl, P extends ParamsDecl, O extends OutsDecl>
  extends StageDeclBase<D, P, O> {
  readonly cmd: string;
  readonly run?: never;
}

/** Every key a stage declaration may hold; any other is a mistake (`parms:`), reported with the nearest of these. */
export const STAGE_DECL_KEYS = [
  "description",
  "deps",
  "params",
  "paramsFiles",
  "outs",
  "env",
  "probes",
  "resources",
  "alwaysRun",
  "frozen",
  "wdir",
  "confirmHit",
  "executor",
  "run",
  "cmd",
] as const satisfies readonly (keyof RunStageDecl<DepsDecl, ParamsDecl, OutsDecl>)[];

// The list above names every key of a declaration: a key added to the types but not to the list fails to compile here.
type UnlistedKey = Exclude<keyof RunStageDecl<DepsDecl, ParamsDecl, OutsDecl> | keyof CmdStageDecl<DepsDecl, ParamsDecl, OutsDecl>, (typeof STAGE_DECL_KEYS)[number]>;
const everyKeyListed: [UnlistedKey] extends [never] ? true : never = true;
void everyKeyListed;

/**
 * A `run` function typed by what declares its stage: the stage's handle (as
 * a project's `Stages` type names it, the recommended form for a function in
 * its own module), or a declaration object:
 *
 *   // pipeline.ts
 *   const eta = defineProject("eta", (p) => {
 *     const train = p.stage("train", { deps: { table: features.outs.table }, outs: { model: file("m.json") },
 *                                      run: runFrom(() => import("./train.js"), "train") });
 *     return { train };
 *   });
 *   export default eta;
 *   export type EtaStages = StagesOf<typeof eta>;
 *
 *   // train.ts
 *   import type { EtaStages } from "./pipeline.js";
 *   export const train: StageFn<EtaStages["train"]> = (ctx) => { ... };
 *
 * A handle made by a stage factory (`trainCandidate`) carries the function
 * type the factory asks for: its extra deps and params, its required returns.
 */
export type StageFn<T> = T extends StageHandle<OutsDecl, infer F>
  ? unknown extends F
    ? never
    : F
  : RunFunction<DeclaredPart<T, "deps">, DeclaredPart<T, "params">, DeclaredPart<T, "outs">>;

/**
 * A `run` function's context, from its stage's handle or declaration (see
 * {@link StageFn}): `export function train(ctx: StageContextOf<EtaStages["train"]>)`.
 * File deps are paths, json deps the values their zod contract parses to.
 */
export type StageContextOf<T> = StageFn<T> extends (ctx: infer C) => unknown ? C : never;

/** One part of a declaration object, `{}` when it declares none. */
type DeclaredPart<T, K extends "deps" | "params" | "outs"> = T extends { readonly [key in K]: infer V } ? V : {};

export type StageDecl<D extends DepsDecl = DepsDecl, P extends ParamsDecl = ParamsDecl, O extends OutsDecl = OutsDecl> =
  | RunStageDecl<D, P, O>
  | CmdStageDecl<D, P, O>;

/** Key of the type-only members below: no value ever holds them. */
declare const TYPE_ONLY: unique symbol;

/**
 * What `p.stage(...)` returns: the stage's outputs as values to wire
 * downstream. `F` is the type of the stage's `run` function, carried for
 * {@link StageFn} only (a `cmd` stage's is unused).
 */
export interface StageHandle<O extends OutsDecl = OutsDecl, F = unknown> {
  /** `<project>:<stage>`. */
  readonly id: string;
  readonly project: string;
  readonly name: string;
  readonly outs: { readonly [K in keyof O]: OutputRef<O[K]> };
  /** Type only (never set): the function type of the stage's `run`. */
  readonly [TYPE_ONLY]?: { readonly run: F };
}

/** One stage as recorded by `defineProject`, before validation. */
export interface DeclaredStage {
  readonly handle: StageHandle;
  readonly decl: StageDecl<DepsDecl, ParamsDecl, OutsDecl>;
  readonly location: SourceLocation;
}

/**
 * A project as declared: a name, a directory and its stages in declaration
 * order. `S` is what the body of `defineProject` returned (its stage
 * handles, by name), for {@link StagesOf}.
 */
export interface DeclaredProject<S = unknown> {
  readonly kind: "sluice-project";
  readonly name: string;
  /** Absolute path of the project directory (the pipeline file's folder). */
  readonly dir: string;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  readonly stages: readonly DeclaredStage[];
  /** Problems found while declaring (duplicate names); reported with the rest. */
  readonly problems: readonly { readonly message: string; readonly location: SourceLocation }[];
  /** Type only (never set): the handles the body returned. */
  readonly [TYPE_ONLY]?: { readonly stages: S };
}

/**
 * The stage handles a project's body returned, by name: what a stage
 * function's module imports (`import type`, erased, so no import cycle and
 * no code identity) to type itself, `StageFn<EtaStages["train"]>`.
 */
export type StagesOf<P> = P extends DeclaredProject<infer S> ? S : never;

/** Options of the root pipeline. */
export interface WorkspaceOptions {
  /**
   * The projects, in the order they are listed: a project directory relative
   * to the root (its `pipeline.ts` is loaded), an imported project, or a
   * dynamic `import()` of one.
   */
  readonly projects: readonly (string | DeclaredProject | Promise<DeclaredProject | { default: DeclaredProject }>)[];
  /** Default remote cache URL (overridden by `--remote-cache` and `SLUICE_REMOTE_CACHE`). */
  readonly remoteCache?: string;
  /** The Slurm cluster stages with `executor: "slurm"` run on (each field overridden by its SLUICE_SLURM_* variable). */
  readonly slurm?: SlurmOptions;
}

/** The executors a stage can run on. */
export type ExecutorName = "local" | "slurm";

/** Every executor name, for validation and messages. */
export const EXECUTOR_NAMES: readonly ExecutorName[] = ["local", "slurm"];

/**
 * How stages reach a Slurm cluster. A job runs the same sluice at the same
 * commit on its node and exchanges inputs and outputs through the remote
 * cache, so the node needs no access to the submitter's disk.
 */
export interface SlurmOptions {
  /** `--partition` (SLUICE_SLURM_PARTITION). */
  readonly partition?: string;
  /** `--account` (SLUICE_SLURM_ACCOUNT). */
  readonly account?: string;
  /** `--time`, e.g. `"2:00:00"` (SLUICE_SLURM_TIME). */
  readonly timeLimit?: string;
  /** More sbatch flags, e.g. `["--qos=high"]` (SLUICE_SLURM_ARGS, space-separated). */
  readonly sbatchArgs?: readonly string[];
  /**
   * Shell commands that make the job's empty working folder a checkout of
   * the workspace's repository at the submitting commit, with its packages
   * installed (SLUICE_SLURM_PREPARE). They see SLUICE_REPO, SLUICE_COMMIT
   * and SLUICE_SUBDIR. Default: `git clone` of SLUICE_REPO, then checkout.
   */
  readonly prepare?: string;
  /** The sluice command on the node (SLUICE_SLURM_COMMAND). Default: the node, script and file of the submitting sluice. */
  readonly command?: string;
}

/** The root pipeline as declared. */
export interface DeclaredWorkspace {
  readonly kind: "sluice-workspace";
  readonly file: string;
  readonly options: WorkspaceOptions;
}
