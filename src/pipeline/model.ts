/**
 * The validated model the engine runs. Only `validateWorkspace` mints these:
 * ids are resolved, paths are workspace-relative and normalised, deps and
 * outs are sorted so keys and messages are stable.
 */
import type { z } from "zod";
import type { ConfirmHit, ExecutorName, ExternalRef, Json, SlurmOptions, SourceLocation } from "./decl.js";

/** `<project>:<stage>`, minted by `stageId`. */
export type StageId = string & { readonly __brand: "StageId" };

/** What a project or stage name may be: letters, digits, `_ . -`, starting with a letter or digit. */
export const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The one place a `StageId` is made from its parts. */
export function stageId(project: string, name: string): StageId {
  return `${project}:${name}` as StageId;
}

/** `text` as a `StageId` when it is `<project>:<stage>` of valid names, as written on a command line or in a file. */
export function parseStageId(text: string): StageId | undefined {
  const colon = text.indexOf(":");
  if (colon < 0 || !STAGE_NAME.test(text.slice(0, colon)) || !STAGE_NAME.test(text.slice(colon + 1))) return undefined;
  return stageId(text.slice(0, colon), text.slice(colon + 1));
}

/** A declared output with its workspace-relative posix path. */
export interface StageOut {
  readonly name: string;
  readonly kind: "file" | "dir" | "json";
  /** Workspace-relative posix path. */
  readonly path: string;
  /** The contract of a json output. */
  readonly schema: z.ZodType | undefined;
  /** The stage finds its previous copy when it runs (see `OutOptions.persist`). */
  readonly persist: boolean;
  /** False: hashed and recorded, but its bytes are not kept in the cache (see `OutOptions.cache`). */
  readonly cached: boolean;
}

/**
 * A params file a stage reads. The values of its named keys are among the
 * stage's `params`, named `<declared>:<key>` (see `fileParamName`).
 */
export interface StageParamsFile {
  /** The path as declared, project-relative: the prefix of the param names. */
  readonly declared: string;
  /** Workspace-relative posix path. */
  readonly path: string;
  readonly format: "yaml" | "json";
  /** Dotted keys, sorted. */
  readonly keys: readonly string[];
  /** The file's text as validation read it: what the stage's copy takes each value's words from (see params-written.ts). */
  readonly text: string;
}

/** A metrics file a stage writes: its own output, or a file inside one of its directory outputs. */
export interface StageMetrics {
  /** The name it was declared under in `outs`. */
  readonly name: string;
  /** Workspace-relative posix path. */
  readonly path: string;
  readonly format: "yaml" | "json";
  /** The output holding the bytes: the metrics output itself, or the directory output it lies in. */
  readonly out: string;
  /** Its path below that directory output; undefined when it is an output of its own. */
  readonly inner: string | undefined;
}

/** The formats a plot file may have, told by its extension. */
export type PlotFormat = "json" | "csv" | "tsv";

/** A plot a stage writes: a series file or a folder of them, its own output or inside one of its directory outputs. */
export interface StagePlot {
  /** The name it was declared under in `outs`. */
  readonly name: string;
  /** Workspace-relative posix path. */
  readonly path: string;
  /** A file's format; undefined for a folder of plot files. */
  readonly format: PlotFormat | undefined;
  /** The output holding the bytes: the plots output itself, or the directory output it lies in. */
  readonly out: string;
  /** Its path below that directory output; undefined when it is an output of its own. */
  readonly inner: string | undefined;
  readonly x: string | undefined;
  /** Empty: the default columns. */
  readonly y: readonly string[];
  readonly title: string | undefined;
}

/** A declared input, resolved. */
export type StageDep =
  | { readonly name: string; readonly kind: "source"; readonly path: string }
  | {
      readonly name: string;
      readonly kind: "output";
      readonly path: string;
      readonly stage: StageId;
      readonly out: string;
      /** Set when the upstream output is json: the value is parsed and checked on read. */
      readonly schema: z.ZodType | undefined;
      readonly outKind: StageOut["kind"];
    }
  | { readonly name: string; readonly kind: "external"; readonly ref: ExternalRef }
  | {
      readonly name: string;
      readonly kind: "url";
      /** Workspace-relative posix path where the fetched file is placed. */
      readonly path: string;
      readonly url: string;
      /** The pinned digest of its bytes (`<xxh64>-<length>`, checked by validation): what enters the key. */
      readonly digest: string;
    };

/** How a stage produces its outputs. */
export type StageAction =
  | {
      readonly kind: "run";
      /** The stage function, as declared; undefined for a `runFrom` reference, which is loaded only where the stage executes. */
      readonly fn: ((...args: never[]) => unknown) | undefined;
      /** Absolute path of the module that exports the function; undefined for an inline function. */
      readonly module: string | undefined;
      /** The package shipping `fn` (the promote stage's is sluice), whose version is its code identity. */
      readonly package?: string;
    }
  | { readonly kind: "cmd"; readonly cmd: string };

/** A validated stage: the unit the graph plans and the executor runs. */
export interface Stage {
  readonly id: StageId;
  readonly project: string;
  readonly name: string;
  /** Absolute project directory. */
  readonly projectDir: string;
  /** Absolute path of the pipeline file that declares the stage. */
  readonly file: string;
  /** What a worker imports to load that pipeline file (its compiled mirror, or the file itself). */
  readonly moduleFile: string;
  readonly location: SourceLocation;
  readonly description: string | undefined;
  /** Sorted by name. */
  readonly deps: readonly StageDep[];
  /** Declared params, and the named keys' values of each params file. */
  readonly params: Readonly<Record<string, Json>>;
  /** Sorted by path. */
  readonly paramsFiles: readonly StageParamsFile[];
  /** Sorted by name. */
  readonly outs: readonly StageOut[];
  /** Sorted by name. */
  readonly metrics: readonly StageMetrics[];
  /** Sorted by name. */
  readonly plots: readonly StagePlot[];
  readonly action: StageAction;
  /** Sorted names of environment variables in the key. */
  readonly env: readonly string[];
  /** Sorted probe commands whose output enters the key. */
  readonly probes: readonly string[];
  readonly resources: Readonly<Record<string, number>>;
  readonly alwaysRun: boolean;
  /** Never runs; its outputs are taken as the workspace holds them (see `StageDecl.frozen`). */
  readonly frozen: boolean;
  /** Workspace-relative folder a `cmd` runs in; undefined for the project folder. */
  readonly wdir: string | undefined;
  /** Where the stage executes (see `StageDecl.executor`); never part of its key. */
  readonly executor: ExecutorName;
  /** See `StageDecl.confirmHit`. */
  readonly confirmHit: ConfirmHit | undefined;
  /** Sorted, de-duplicated ids of the stages this one reads from. */
  readonly upstream: readonly StageId[];
}

/** A project of the validated workspace. */
export interface Project {
  readonly name: string;
  readonly dir: string;
  readonly file: string;
  readonly stages: readonly StageId[];
}

/** The validated workspace. */
export interface Workspace {
  /** Absolute workspace root (folder of the root `pipeline.ts`). */
  readonly root: string;
  /** Absolute path of the root pipeline file. */
  readonly file: string;
  readonly projects: readonly Project[];
  /** Every stage, in declaration order. */
  readonly stages: ReadonlyMap<StageId, Stage>;
  readonly remoteCache: string | undefined;
  /** The Slurm cluster of `defineWorkspace({ slurm })`, as declared. */
  readonly slurm?: SlurmOptions | undefined;
  /**
   * Why the pipeline files were loaded through TypeScript loader hooks (a
   * second thread, slower) instead of the compiled mirror; undefined when the
   * mirror held them. `--verbose` says it.
   */
  readonly loadedThroughHooks?: string | undefined;
}
