/**
 * A workspace load in a process that loads more than once (the sluice
 * server): every load evaluates the mirror's compiled modules anew, as a
 * new process would, so an edit to a pipeline file or a helper, or a value
 * a module reads from the environment or a file as it is evaluated, is seen
 * by the next load. Node's own module cache would keep the first load's
 * modules for the life of the process, so the workspace's modules are
 * evaluated as `vm` modules instead, one new graph per load.
 *
 * What the workspace imports from sluice itself and zod is shared between
 * loads, as a package is meant to be: neither reads anything as it is
 * evaluated, so its first evaluation stands for every later one (what a
 * load sets in zod, its global configuration, lives on the global object,
 * where load-leftovers.ts undoes it). Each such
 * file is remembered with its stat, and `sharedModuleChanged` names one
 * that changed since (an `npm install`), after which the process must not
 * load again. Any other package may read the environment or a file as it
 * is evaluated (`import "dotenv/config"`, a config package), which a
 * shared copy would have done for the first command only; and a module of
 * the workspace that is neither mirrored nor installed (a workspace package
 * linked into node_modules) is not compiled afresh either. For those the
 * load throws `NotFresh`, and the command runs in a process of its own.
 * What one load leaves in the process for the next (a global, a module in
 * CommonJS's cache) is undone by load-leftovers.ts.
 *
 * Needs `node --experimental-vm-modules --experimental-import-meta-resolve`,
 * which the server is started with (SERVER_NODE_OPTIONS in cli/server).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import { asSetup } from "./load-leftovers.js";
import type { LoadWatchdog } from "./load-watchdog.js";
import type { ModuleMirror } from "./module-mirror.js";

/** Why a workspace cannot be loaded afresh in this process. */
export class NotFresh extends Error {
  /** Whether every later load would fail the same way (false: a missing file, which an edit may bring). */
  readonly lasting: boolean;

  constructor(message: string, lasting = true) {
    super(message);
    this.lasting = lasting;
  }
}

let ownPackage: string | undefined;

/** The folder of the sluice package this code belongs to: a workspace may import sluice from a checkout (the repository's own example). */
function ownPackageDir(): string {
  if (ownPackage === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
    ownPackage = dir;
  }
  return ownPackage;
}

const BUILTINS = new Set(builtinModules);

/** The packages a load may share with the loads before it: they read nothing as they are evaluated. */
const SHARED_PACKAGES: ReadonlySet<string> = new Set(["sluice", "zod"]);

/** The package an installed file belongs to (`zod`, `@scope/name`), or undefined outside node_modules. */
function packageName(path: string): string | undefined {
  const parts = path.split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const first = parts[at + 1] ?? "";
  return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}

/** Installed files the workspace's modules imported, with the stat they had when first imported. */
const shared = new Map<string, string>();

/** The first installed file imported by a load that has changed since, if any. */
export function sharedModuleChanged(): string | undefined {
  for (const [path, seen] of shared) if (statLine(path) !== seen) return path;
  return undefined;
}

/**
 * Evaluates the mirrored module `compiled` (and the workspace modules it
 * imports) as a new graph and returns its namespace. `original` names the
 * workspace file it stands for, for the watchdog.
 */
export function evaluateFresh(mirror: ModuleMirror, watchdog: LoadWatchdog, compiled: string): Promise<Record<string, unknown>> {
  return new FreshGraph(mirror).evaluate(pathToFileURL(compiled).href, watchdog, mirror.originalPathOf(compiled));
}

/**
 * The modules of one load: each workspace module and each shared one once, by URL.
 *
 * The graph holds every module it made until its evaluation has ended. Node finds what a
 * synthetic module exports through the `vm.Module` object that made it, and V8's graph of
 * linked modules does not keep that object alive: collected between linking and evaluation
 * (a load that allocates, a busy server), it is gone when V8 evaluates the module, and Node 20
 * crashes the process (SIGSEGV in SyntheticModuleEvaluationStepsCallback).
 */
class FreshGraph {
  readonly #mirror: ModuleMirror;
  readonly #locals = new Map<string, vm.SourceTextModule>();
  readonly #shared = new Map<string, Promise<vm.Module>>();
  /** Why a module of this load could not be had afresh, once one could not. */
  #notFresh: NotFresh | undefined;

  constructor(mirror: ModuleMirror) {
    this.#mirror = mirror;
  }

  /** Links and evaluates the workspace module `url` (the workspace file `original`) and returns its namespace. */
  async evaluate(url: string, watchdog: LoadWatchdog, original: string): Promise<Record<string, unknown>> {
    const root = this.local(url);
    try {
      await root.link((specifier, referrer) => this.linked(specifier, referrer.identifier));
      await watchdog.evaluateModule(root, original);
    } catch (error) {
      throw this.#notFresh ?? error;
    }
    // A pipeline may catch the import that could not be had afresh (a package it treats as optional) and go on
    // without it, where a process of its own would have imported it: such a load stands for no fresh one.
    if (this.#notFresh) throw this.#notFresh;
    // Read through the graph, so that it (and every module it holds) is alive until evaluation has ended.
    return this.#locals.get(url)?.namespace as Record<string, unknown>;
  }

  local(url: string): vm.SourceTextModule {
    let module = this.#locals.get(url);
    if (!module) {
      const path = fileURLToPath(url);
      module = new vm.SourceTextModule(readFileSync(path, "utf8"), {
        identifier: url,
        initializeImportMeta: (meta) =>
          Object.assign(meta, { url, filename: path, dirname: dirname(path), resolve: (specifier: string) => resolveFrom(specifier, url) }),
        // `import()` in a workspace module (a `runFrom` loader, if called during the load).
        importModuleDynamically: async (specifier: string) => {
          const imported = await this.linked(specifier, url);
          if (imported.status === "unlinked") await imported.link((next, referrer) => this.linked(next, referrer.identifier));
          if (imported.status !== "evaluated") await imported.evaluate();
          return imported;
        },
      } as vm.SourceTextModuleOptions);
      this.#locals.set(url, module);
    }
    return module;
  }

  /** The module `specifier` names from `referrer`: a workspace module of this load, or a shared one. */
  async linked(specifier: string, referrer: string): Promise<vm.Module> {
    try {
      return await this.#linked(specifier, referrer);
    } catch (error) {
      if (error instanceof NotFresh) this.#notFresh ??= error;
      throw error;
    }
  }

  async #linked(specifier: string, referrer: string): Promise<vm.Module> {
    const url = resolveFrom(specifier, referrer);
    let first = false;
    if (url.startsWith("file:")) {
      const path = fileURLToPath(url);
      if (this.#mirror.originalPathOf(path) !== path) {
        // A module that does not exist: the load in a process of its own reports it where it is imported.
        if (!existsSync(path)) throw new NotFresh(`${this.#mirror.originalPathOf(path)} does not exist`, false);
        return this.local(url);
      }
      if (!path.startsWith(ownPackageDir() + sep)) {
        const name = packageName(path);
        if (name === undefined) throw new NotFresh(`${path} is part of the workspace but not of its compiled mirror`);
        if (!SHARED_PACKAGES.has(name)) {
          throw new NotFresh(`the pipeline imports ${name}, which a server evaluates once, not for every command`);
        }
      }
      first = !shared.has(path);
      if (first) shared.set(path, statLine(path));
    } else if (!url.startsWith("node:") && !BUILTINS.has(url)) {
      throw new NotFresh(`cannot load ${url} afresh`);
    }
    let module = this.#shared.get(url);
    if (!module) {
      const imported = () => import(url) as Promise<Record<string, unknown>>;
      // A shared package's first evaluation sets up the process, not this load (see load-leftovers.ts).
      module = (first ? asSetup(imported) : imported()).then((namespace) => syntheticOf(namespace, url));
      this.#shared.set(url, module);
    }
    return module;
  }
}

/** ES module resolution from `referrer`, as `import` there would resolve (needs --experimental-import-meta-resolve). */
function resolveFrom(specifier: string, referrer: string): string {
  const resolve = import.meta.resolve as (specifier: string, parent: string) => string;
  if (!parentResolves()) throw new NotFresh("this node was not started with --experimental-import-meta-resolve");
  return resolve(specifier, referrer);
}

let canResolveFromParent: boolean | undefined;

/** Whether `import.meta.resolve` honours its parent argument (without the flag it silently ignores it). */
function parentResolves(): boolean {
  canResolveFromParent ??= (import.meta.resolve as (specifier: string, parent: string) => string)("./probe.js", "file:///probe/x.js") === "file:///probe/probe.js";
  return canResolveFromParent;
}

/** A module whose exports are `namespace`'s: how a vm graph links to a module Node already loaded. */
function syntheticOf(namespace: Record<string, unknown>, url: string): vm.Module {
  const names = Object.keys(namespace);
  return new vm.SyntheticModule(
    names,
    function (this: vm.SyntheticModule) {
      for (const name of names) this.setExport(name, namespace[name]);
    },
    { identifier: url },
  );
}

/** What identifies a file's bytes without reading them (the stat trust rule's fields). */
function statLine(path: string): string {
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : "absent";
}


