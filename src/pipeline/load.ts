/**
 * Loads a workspace: finds the root `pipeline.ts`, imports it through the
 * TypeScript loader (no build step for the user), resolves its projects and
 * hands the declarations to validation. Every failure is a diagnostic.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fail, ok, type Result } from "../util/result.js";
import { PIPELINE_FILE } from "../util/workspace-root.js";
import type { DeclaredProject, DeclaredWorkspace, SourceLocation } from "./decl.js";
import type { Diagnostic } from "./diagnostic.js";
import type { Workspace } from "./model.js";
import { DEFAULT_LOAD_TIMEOUT_MS, LOAD_TIMEOUT_ENV, LoadStopped, LoadWatchdog } from "./load-watchdog.js";
import { originalStack } from "./mirror-positions.js";
import { importPosition, missingImport, type MissingImport } from "./module-graph.js";
import { evaluateFresh, NotFresh } from "./fresh-modules.js";
import { recordLoad, watchLoads } from "./load-leftovers.js";
import { CompileError, ModuleMirror, NotMirrorable, originalOf } from "./module-mirror.js";
import { validateWorkspace } from "./validate.js";

export { findWorkspaceRoot, PIPELINE_FILE } from "../util/workspace-root.js";

let registered: Promise<void> | undefined;
let afresh = false;

/**
 * Makes every later load of this process evaluate the workspace's modules
 * anew (fresh-modules.ts): the sluice server, which loads once per command.
 */
export function loadAfresh(): void {
  watchLoads();
  afresh = true;
}

/**
 * How many loads of this process were stopped before their code finished (Ctrl-C, the time limit):
 * stopped wherever it was, that code may have left sluice's or zod's module state half-changed.
 */
let stoppedLoads = 0;

export function stoppedLoadCount(): number {
  return stoppedLoads;
}

/** How the modules of a workspace are loaded: from the compiled mirror, or through loader hooks. */
export interface ModuleLoader {
  /** `mirror` may fall back to `hooks` when it cannot represent a module graph. */
  readonly kind: "mirror" | "hooks";
  /** Imports an original module (`.ts` path). */
  import(file: string): Promise<Record<string, unknown>>;
  /** The file a worker thread imports to load the same module. */
  entryFor(file: string): string;
  /** The workspace path a path in a loader error stands for. */
  originalOf(path: string): string;
}

/** Options of a workspace load. */
export interface LoadOptions {
  /** Give up on a load still running after this long (0: no limit); see load-watchdog.ts. */
  readonly timeoutMs?: number;
}

/**
 * Loads from the compiled mirror; every module must be inside the workspace.
 * Modules are evaluated under the watchdog (Ctrl-C and the time limit stop
 * even a busy loop), except graphs with top-level await, which only
 * `import()` can evaluate.
 */
function mirrorLoader(mirror: ModuleMirror, watchdog: LoadWatchdog): ModuleLoader {
  return {
    kind: "mirror",
    import: async (file) => {
      const compiled = await mirror.prepare(file);
      if (afresh) return evaluateFresh(mirror, watchdog, compiled);
      try {
        return watchdog.evaluate(compiled, file);
      } catch (error) {
        // Top-level await, a module mid-evaluation, or a Node without require(esm) (--no-experimental-require-module).
        if (!/^ERR_REQUIRE_(ASYNC_MODULE|CYCLE_MODULE|ESM)$/.test(String((error as NodeJS.ErrnoException).code))) throw error;
      }
      watchdog.entering(file);
      return (await import(pathToFileURL(compiled).href)) as Record<string, unknown>;
    },
    entryFor: (file) => mirror.mirrorOf(file),
    originalOf: (path) => mirror.originalPathOf(path),
  };
}

/** Loads through tsx's loader hooks: slower, but handles any module graph. */
function hooksLoader(watchdog: LoadWatchdog): ModuleLoader {
  return {
    kind: "hooks",
    import: async (file) => {
      watchdog.entering(file);
      return importThroughHooks(file);
    },
    entryFor: (file) => file,
    originalOf: (path) => path,
  };
}

/** Imports a workspace module (`.ts` or not) through tsx's hooks: its exports, its default as its own code wrote it. */
export async function importThroughHooks(file: string): Promise<Record<string, unknown>> {
  await registerTypeScript();
  return withOwnDefault((await import(pathToFileURL(file).href)) as Record<string, unknown>);
}

/**
 * Installs the TypeScript loader once per thread: tsx's hooks for ES modules, and for CommonJS,
 * which a `.ts` file is under a package.json with `"type": "commonjs"` (without them Node would
 * load it as an ES module from inside its own import, and refuse the cycle).
 */
function registerTypeScript(): Promise<void> {
  registered ??= Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]).then(([esm, cjs]) => {
    esm.register();
    cjs.register();
  });
  return registered;
}

/**
 * `namespace` with the default export its module's code wrote. Under a package.json with
 * `"type": "commonjs"` (what `npm init -y` writes), tsx compiles a `.ts` file to CommonJS, and
 * Node gives `module.exports` as the default, holding the module's own beside `__esModule`.
 */
function withOwnDefault(namespace: Record<string, unknown>): Record<string, unknown> {
  const exported = namespace["default"] as { __esModule?: unknown; default?: unknown } | null | undefined;
  const compiled = typeof exported === "object" && exported !== null && exported.__esModule === true && "default" in exported;
  return compiled ? { ...namespace, default: exported.default } : namespace;
}

/** Imports a module, turning a throw into a diagnostic. */
export async function importModule(
  file: string,
  loader: ModuleLoader = hooksLoader(new LoadWatchdog(0)),
): Promise<Result<Record<string, unknown>, Diagnostic>> {
  try {
    return ok(await loader.import(file));
  } catch (error) {
    if (error instanceof LoadStopped || error instanceof NotFresh) throw error;
    if (loader.kind === "mirror" && mirrorCannotHold(error)) {
      // A module that exists nowhere is the user's mistake, not the mirror's: say which import names it.
      const missing = missingImportIn(error, loader);
      if (missing) return fail(missingImportDiagnostic(missing));
      throw error; // the mirror cannot represent this graph: let loadWorkspace fall back to loader hooks
    }
    if (error instanceof CompileError) {
      const location = { file: error.file, line: error.line, column: error.column };
      return fail({ reason: "load-failed", message: `cannot load ${error.file}:${error.line}: ${error.message}`, location });
    }
    const missing = missingImportIn(error, loader);
    return fail(missing ? missingImportDiagnostic(missing) : loadFailure(file, error));
  }
}

/**
 * Loads and validates the workspace rooted at `root`, from the compiled
 * mirror when the module graph allows it, else through loader hooks, under
 * a watchdog: Ctrl-C or the time limit stop it with a diagnostic naming the
 * file whose code was running (`load-interrupted`, `load-timeout`).
 */
export async function loadWorkspace(root: string, options: LoadOptions = {}): Promise<Result<Workspace, readonly Diagnostic[]>> {
  const file = join(root, PIPELINE_FILE);
  if (!existsSync(file)) {
    return fail([{ reason: "no-pipeline", message: `no ${PIPELINE_FILE} in ${root} (run \`sluice init\` to create one)` }]);
  }
  const limitMs = options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  const watchdog = new LoadWatchdog(limitMs);
  const load = () => watchdog.within(() => loadEither(root, file, watchdog), file);
  try {
    // Loading again in this process, what the load changes of the process is noted, for the next to undo.
    return await (afresh ? recordLoad(load) : load());
  } catch (error) {
    if (!(error instanceof LoadStopped)) throw error;
    stoppedLoads++;
    return fail([stoppedDiagnostic(error)]);
  }
}

async function loadEither(root: string, file: string, watchdog: LoadWatchdog): Promise<Result<Workspace, readonly Diagnostic[]>> {
  let why = "SLUICE_LOADER=hooks";
  if (process.env["SLUICE_LOADER"] !== "hooks") {
    const mirrored = await loadWith(root, file, mirrorLoader(new ModuleMirror(root), watchdog));
    if (!("fallback" in mirrored)) return mirrored;
    why = mirrored.fallback;
  }
  // Loader hooks load through Node's module cache, which a second load would reuse.
  if (afresh) throw new NotFresh(`the pipeline needs TypeScript loader hooks (${why})`);
  // Modules loaded through tsx's hooks carry inline source maps, which Node
  // applies only while source maps are on; the mirror maps its own positions
  // (mirror-positions.ts), so it loads without them.
  process.setSourceMapsEnabled(true);
  try {
    const hooked = await loadWith(root, file, hooksLoader(watchdog));
    if ("fallback" in hooked) return fail([{ reason: "load-failed", message: `cannot load ${file}` }]);
    return hooked.ok ? ok({ ...hooked.value, loadedThroughHooks: why }) : hooked;
  } finally {
    process.setSourceMapsEnabled(false);
  }
}

/** What a stopped load tells the user: which file was running, and how to allow more time. */
function stoppedDiagnostic(stopped: LoadStopped): Diagnostic {
  if (stopped.why === "interrupted") {
    return { reason: "load-interrupted", message: `interrupted while loading the pipeline (evaluating ${stopped.file}); nothing was written` };
  }
  return {
    reason: "load-timeout",
    message:
      `loading the pipeline took longer than ${stopped.limitMs} ms: ${stopped.file} was still being evaluated (a loop that never ends?); ` +
      `allow more with --load-timeout-ms or ${LOAD_TIMEOUT_ENV} (0: no limit)`,
    location: { file: stopped.file, line: 0, column: 0 },
  };
}

/** One attempt at loading; a fallback, with why, when the mirror cannot represent the module graph. */
async function loadWith(
  root: string,
  file: string,
  loader: ModuleLoader,
): Promise<Result<Workspace, readonly Diagnostic[]> | { readonly fallback: string }> {
  try {
    return await loadDeclared(root, file, loader);
  } catch (error) {
    if (loader.kind === "mirror" && mirrorCannotHold(error)) return { fallback: (error as Error).message.split("\n")[0] ?? "" };
    throw error;
  }
}

/**
 * A module graph the mirror cannot represent: a JSON import, a file outside
 * the workspace, an unwritable cache, a package whose exports name `.ts` files.
 */
function mirrorCannotHold(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return error instanceof NotMirrorable || code === "ERR_MODULE_NOT_FOUND" || code === "ERR_UNKNOWN_FILE_EXTENSION";
}

/**
 * The relative import a "Cannot find module" error is about, when the file
 * it names exists in the workspace under no name the import could mean. A
 * file the mirror lacks but the workspace has (`import "./x.ts"`) is not
 * missing: the loader hooks can load it.
 */
function missingImportIn(error: unknown, loader: ModuleLoader): MissingImport | undefined {
  if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") return undefined;
  const match = /Cannot find module '([^']+)' imported from (.+)$/m.exec((error as Error).message);
  if (!match) return undefined;
  // A compiled importer maps to its source (`shout.js` -> `shout.ts`); the missing file only to where it would be.
  const importer = originalOf(match[2] as string) ?? loader.originalOf(match[2] as string);
  return missingImport(importer, loader.originalOf(match[1] as string));
}

function missingImportDiagnostic(missing: MissingImport): Diagnostic {
  return {
    reason: "load-failed",
    message: `cannot load ${missing.importer}:${missing.line}: it imports "${missing.specifier}", and no such module exists (a misspelt path, or a file not yet written?)`,
    location: { file: missing.importer, line: missing.line, column: missing.column },
  };
}

async function loadDeclared(root: string, file: string, loader: ModuleLoader): Promise<Result<Workspace, readonly Diagnostic[]>> {
  const loaded = await importModule(file, loader);
  if (!loaded.ok) return fail([loaded.error]);
  const declared = loaded.value["default"];
  if (isProject(declared)) return validateWorkspace(root, file, [declared], undefined, loader);
  if (!isWorkspace(declared)) {
    return fail([
      {
        reason: "not-a-workspace",
        message: `${file}: the default export must be defineWorkspace({...}) or defineProject(...)`,
        location: { file, line: 1, column: 1 },
      },
    ]);
  }
  const projects: DeclaredProject[] = [];
  const problems: Diagnostic[] = [];
  for (const entry of declared.options.projects) {
    const project = await resolveProject(root, entry, loader);
    if (project.ok) projects.push(project.value);
    else problems.push(project.error);
  }
  if (problems.length > 0) return fail(problems);
  const validated = await validateWorkspace(root, file, projects, declared.options.remoteCache, loader);
  return validated.ok && declared.options.slurm !== undefined ? { ...validated, value: { ...validated.value, slurm: declared.options.slurm } } : validated;
}

async function resolveProject(
  root: string,
  entry: DeclaredWorkspace["options"]["projects"][number],
  loader: ModuleLoader,
): Promise<Result<DeclaredProject, Diagnostic>> {
  if (typeof entry === "string") {
    const file = join(root, entry, PIPELINE_FILE);
    if (!existsSync(file)) {
      return fail({ reason: "no-pipeline", message: `project "${entry}" listed in ${PIPELINE_FILE} has no ${file}` });
    }
    const loaded = await importModule(file, loader);
    if (!loaded.ok) return fail(loaded.error);
    const project = loaded.value["default"];
    if (isProject(project)) return ok(project);
    return fail({
      reason: "not-a-workspace",
      message: `${file}: the default export must be defineProject(...)`,
      location: { file, line: 1, column: 1 },
    });
  }
  let resolved: unknown;
  try {
    resolved = await entry;
  } catch (error) {
    return fail(loadFailure(join(root, PIPELINE_FILE), error));
  }
  const project = isProject(resolved) ? resolved : (resolved as { default?: unknown } | undefined)?.default;
  if (isProject(project)) return ok(project);
  return fail({ reason: "not-a-workspace", message: `${join(root, PIPELINE_FILE)}: an entry of projects is not a project` });
}

function isProject(value: unknown): value is DeclaredProject {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "sluice-project";
}

function isWorkspace(value: unknown): value is DeclaredWorkspace {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "sluice-workspace";
}

/** Describes a module that failed to load, naming (and pointing at) the offending line when one is known. */
function loadFailure(file: string, error: unknown): Diagnostic {
  const text = error instanceof Error ? error.message : String(error);
  const found = syntaxLocation(text) ?? notFoundLocation(text) ?? throwLocation(error);
  const firstLine = text.split("\n").find((line) => line.trim() !== "" && !line.startsWith("Transform failed")) ?? text;
  const message = firstLine.replace(/^.*?:\d+:\d+: (ERROR: )?/, "");
  const where = found ? `${found.file}:${found.line}` : file;
  // No line is pointed at when none is known (a thrown string carries no stack): the first line would be a guess.
  return { reason: "load-failed", message: `cannot load ${where}: ${message}${installHint(text)}${orderHint(text)}`, ...(found ? { location: found } : {}) };
}

/**
 * What a stage handle used before its stage is declared means: a stage can read only what the stages
 * above it make, which is why a pipeline has no cycles. (A handle named before its `const` is a
 * ReferenceError of JavaScript's, which says nothing of stages.)
 */
function orderHint(text: string): string {
  const name = /^Cannot access '([^']+)' before initialization/.exec(text)?.[1];
  if (name === undefined) return "";
  return ` (if ${name} is a stage, declare it above the stages that read its outputs; a stage can only read what is declared before it, so a pipeline has no cycles)`;
}

/**
 * What to do about a package the workspace does not have. sluice itself is
 * the usual one: a global or npx-fetched CLI runs, but the pipeline file's
 * `import ... from "sluice"` resolves from the workspace, which needs its own.
 */
function installHint(text: string): string {
  const missing = /Cannot find package '((?:@[^'/]+\/)?[^'/]+)[^']*' imported from/.exec(text)?.[1];
  if (missing === undefined) return "";
  // Until sluice is on the registry, the tarball `npm pack` makes (or a checkout) is what installs it.
  const command = missing === "sluice" ? "npm install --save-dev <path to a sluice checkout or the .tgz its npm pack makes>" : `npm install ${missing}`;
  return ` (the workspace has no ${missing} of its own: install it with \`${command}\`)`;
}

/** Node reports `Cannot find package 'name' imported from /importer`: point at that import. */
function notFoundLocation(text: string): SourceLocation | undefined {
  const match = /Cannot find (?:module|package) '([^']+)' imported from (\/\S+)/.exec(text);
  if (!match) return undefined;
  const importer = match[2] as string;
  const position = importPosition(importer, match[1] as string);
  return position ? { file: importer, ...position } : undefined;
}

/** esbuild reports `file:line:col: ERROR: text`. */
function syntaxLocation(text: string): SourceLocation | undefined {
  const match = /(\/[^\s:]+):(\d+):(\d+): ERROR/.exec(text);
  if (!match) return undefined;
  return { file: match[1] as string, line: Number(match[2]), column: Number(match[3]) + 1 };
}

/** The first frame of a thrown error that lies in a user file (not node_modules, not node internals). */
function throwLocation(error: unknown): SourceLocation | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  for (const line of originalStack(error.stack).split("\n").slice(1)) {
    const match = /(?:\(|at |file:\/\/)(\/[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (match && !match[1]?.includes("/node_modules/") && !match[1]?.includes("/src/pipeline/")) {
      return { file: match[1] as string, line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}
