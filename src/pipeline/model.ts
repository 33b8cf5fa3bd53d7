/**
 * The validated model the engine runs. Only `validateWorkspace` mints these:
 * ids are resolved, paths are workspace-relative and normalised, deps and
 * outs are sorted so keys and messages are stable.
 */
import type { z } from "zod";
import type { ConfirmHit, ExecutorName, ExternalRef, Json, SlurmOptions, SourceLocation } from "./decl.js";

/** `<project>:<stage>`, minted by `stageId`. */
export type StageId = string & { readonly __brand: "StageId" };

/** The one place a `StageId` is made. */
export function stageId(project: string, name: string): StageId {
  return `${project}:${name}` as StageId;
}

/** A declared output with its workspace-relative posix path. */
export interface StageOut {
  readonly name: string;
  readonly kind: "file" | "dir" | "json";
  /** Workspace-relative posix path. */
  readonly path: string;
  /** The contract of a json output. */
  readonly schema: z.ZodType | undefined;
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
  | { readonly name: string; readonly kind: "external"; readonly ref: ExternalRef };

/** How a stage produces its outputs. */
export type StageAction =
  | {
      readonly kind: "run";
      /** The stage function, as declared. */
      readonly fn: (...args: never[]) => unknown;
      /** Absolute path of the module that exports `fn`; undefined for an inline function. */
      readonly module: string | undefined;
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
  readonly params: Readonly<Record<string, Json>>;
  /** Sorted by name. */
  readonly outs: readonly StageOut[];
  readonly action: StageAction;
  /** Sorted names of environment variables in the key. */
  readonly env: readonly string[];
  /** Sorted probe commands whose output enters the key. */
  readonly probes: readonly string[];
  readonly resources: Readonly<Record<string, number>>;
  readonly alwaysRun: boolean;
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
}
