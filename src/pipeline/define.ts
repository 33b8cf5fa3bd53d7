/**
 * The declaration API of `pipeline.ts` files: `defineProject`, `defineWorkspace`
 * and the artifact constructors. Declaring only records; loading and
 * validation happen later so every problem can be reported at once.
 */
import { dirname } from "node:path";
import type { z } from "zod";
import { callSite } from "./call-site.js";
import type {
  CmdStageDecl,
  DeclaredProject,
  DeclaredStage,
  DeclaredWorkspace,
  DepsDecl,
  DirOutDecl,
  ExternalRef,
  FileOutDecl,
  Json,
  JsonOutDecl,
  LazyRun,
  MetricsOutDecl,
  OutDecl,
  OutOptions,
  OutputRef,
  OutsDecl,
  ParamsDecl,
  PlotOptions,
  PlotsOutDecl,
  ParamsFileDecl,
  RunFunction,
  RunStageDecl,
  SourceLocation,
  SourceRef,
  StageHandle,
  UrlRef,
  WorkspaceOptions,
} from "./decl.js";

/** A file output at a project-relative path (`persist`, `cache: false`: see {@link OutOptions}). */
export function file(path: string, options: OutOptions = {}): FileOutDecl {
  return { kind: "file", path, ...options };
}

/** A directory output at a project-relative path (`persist`, `cache: false`: see {@link OutOptions}). */
export function dir(path: string, options: OutOptions = {}): DirOutDecl {
  return { kind: "dir", path, ...options };
}

/** A JSON output checked by `schema`; `path` defaults to `out/<stage>/<name>.json`. */
export function json<S extends z.ZodType>(schema: S, path?: string): JsonOutDecl<S> {
  return { kind: "json", path, schema };
}

/** A metrics file (JSON or YAML) at a project-relative path; it may lie inside a dir output of the same stage. */
export function metrics(path: string, options: OutOptions = {}): MetricsOutDecl {
  return { kind: "metrics", path, ...options };
}

/**
 * A plot: a series file (`.json`, `.csv`, `.tsv`) or a folder of them, at a
 * project-relative path; it may lie inside a dir output of the same stage.
 */
export function plots(path: string, options: PlotOptions = {}): PlotsOutDecl {
  return { kind: "plots", path, options };
}

/** Keys (dotted paths) of a YAML or JSON params file a stage reads; for a stage's `paramsFiles`. */
export function paramsFrom(path: string, keys: readonly string[]): ParamsFileDecl {
  return { kind: "params-file", path, keys: [...keys] };
}

/** A raw input of the project (data file, script), at a project-relative path. */
export function source(path: string): SourceRef {
  return { ref: "source", path };
}

/**
 * A file downloaded from an http(s) URL, pinned by its digest
 * (`url("https://…/data.xml", { digest: "…", path: "data/data.xml" })`);
 * `sluice pin <url>` downloads it once and prints the digest to paste.
 */
export function url(href: string, pin: { readonly digest?: string; readonly path: string }): UrlRef {
  return { ref: "url", url: href, digest: pin.digest, path: pin.path };
}

/** A dep on a value resolved at plan time; its canonical JSON digest enters the key. */
export function external<T extends Json>(id: string, resolve: ExternalRef<T>["resolve"]): ExternalRef<T> {
  return { ref: "external", id, resolve };
}

/**
 * Names a stage's `run` function by its module and export, so planning
 * (a no-op run, `status`, `explain`) never loads the module:
 *
 *   run: runFrom(() => import("./train-delay-model.js"), "trainDelayModel"),
 *
 * The compiler checks that the module exists and exports that name; the
 * module types the function from the stage's handle (see `StageFn`), so a
 * renamed dep fails to compile there. The check here stops at the name on
 * purpose: asking for the export's type would make the project's type
 * depend on the module's, which depends on the project's (a cycle the
 * compiler reports as `any`). Write the loader exactly as
 * `() => import("<relative path>")`: its path is read from its text,
 * without calling it, to find the module (see lazy-run.ts).
 */
export function runFrom<M, K extends keyof M & string>(load: () => Promise<M>, exportName: K): LazyRun {
  return { kind: "lazy-run", load, exportName, location: callSite() };
}

/** Where a function shipped by a package records that package (a registered symbol: any copy of this module reads it). */
const PACKAGE_OF = Symbol.for("sluice.stage-function-package");

/**
 * Marks a stage function shipped by sluice itself (the promote stage): its
 * code identity is the installed sluice's version, not the pipeline file
 * that declares the stage, which is not where the function lives.
 */
export function packagedFunction<F extends (...args: never[]) => unknown>(fn: F, pkg = "sluice"): F {
  Object.defineProperty(fn, PACKAGE_OF, { value: pkg });
  return fn;
}

/** The package that ships `fn`, when it was marked by {@link packagedFunction}. */
export function packageOfFunction(fn: unknown): string | undefined {
  const pkg = typeof fn === "function" ? (fn as { [PACKAGE_OF]?: unknown })[PACKAGE_OF] : undefined;
  return typeof pkg === "string" ? pkg : undefined;
}

/** The builder handed to the body of `defineProject`. */
export interface ProjectBuilder {
  readonly name: string;
  /** Absolute path of the project directory. */
  readonly dir: string;
  stage<const D extends DepsDecl = {}, const P extends ParamsDecl = {}, const O extends OutsDecl = {}>(
    name: string,
    decl: RunStageDecl<D, P, O> | CmdStageDecl<D, P, O>,
  ): StageHandle<O, RunFunction<D, P, O>>;
}

/**
 * Declares a project. Its directory is the folder of the file that calls
 * this, so paths in the declaration are relative to the pipeline file. What
 * the body returns (its stage handles, by name) types the stage functions
 * of the project's modules: see `StagesOf`.
 */
export function defineProject<S = void>(name: string, body: (p: ProjectBuilder) => S): DeclaredProject<S> {
  const site = callSite();
  const stages: DeclaredStage[] = [];
  const names = new Set<string>();
  const problems: { message: string; location: SourceLocation }[] = [];
  const projectDir = dirname(site.file);
  const builder: ProjectBuilder = {
    name,
    dir: projectDir,
    stage(stageName, decl) {
      const location = callSite();
      if (names.has(stageName)) problems.push({ message: `duplicate stage id "${name}:${stageName}"`, location });
      names.add(stageName);
      const handle = makeHandle(name, stageName, decl.outs ?? {});
      stages.push({ handle, decl: decl as DeclaredStage["decl"], location });
      return handle as never;
    },
  };
  body(builder);
  return { kind: "sluice-project", name, dir: projectDir, file: site.file, stages, problems };
}

/** Declares the root pipeline: which projects make up the workspace. */
export function defineWorkspace(options: WorkspaceOptions): DeclaredWorkspace {
  return { kind: "sluice-workspace", file: callSite().file, options };
}

function makeHandle(project: string, name: string, outs: OutsDecl): StageHandle {
  const handle: { id: string; project: string; name: string; outs: Record<string, OutputRef> } = {
    id: `${project}:${name}`,
    project,
    name,
    outs: {},
  };
  for (const [outName, out] of Object.entries(outs)) {
    handle.outs[outName] = { ref: "output", stage: handle, name: outName, out: out as OutDecl };
  }
  return handle;
}
