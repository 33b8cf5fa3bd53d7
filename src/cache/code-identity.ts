/**
 * Code identity of a `run` stage: the digests of the module exporting its
 * function and every local file that module imports, transitively, plus the
 * versions of the external packages those files import. A function declared
 * inline in a pipeline file takes that file's whole closure (the function may
 * read any constant beside it), so prefer exported functions.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { importClosure, type ModuleImports, scanImportsOnce, type Stage } from "../pipeline/index.js";
import { digestString, type Digest } from "./digest.js";
import type { StatCache } from "./stat-cache.js";

export interface CodeIdentity {
  /** Workspace-relative path -> digest, for every local file in the closure. */
  readonly files: Readonly<Record<string, Digest>>;
  /** External package -> installed version. */
  readonly packages: Readonly<Record<string, string>>;
  /** Digest of the function's own text, for inline functions. */
  readonly inline: Digest | undefined;
}

/** Memoises scans and versions for one process (a run, a watch session). */
export class CodeIdentities {
  readonly #root: string;
  readonly #stat: StatCache;
  readonly #closures = new Map<string, ModuleImports>();
  readonly #versions = new Map<string, string>();

  constructor(workspaceRoot: string, stat: StatCache) {
    this.#root = workspaceRoot;
    this.#stat = stat;
  }

  async of(stage: Stage): Promise<CodeIdentity | undefined> {
    if (stage.action.kind !== "run") return undefined;
    // A function a package ships changes only with the package.
    if (stage.action.package !== undefined) return { files: {}, packages: { [stage.action.package]: this.#version(stage.action.package) }, inline: undefined };
    const entry = stage.action.module ?? stage.file;
    const closure = this.#closure(entry);
    const files: Record<string, Digest> = {};
    for (const file of closure.local) {
      const rel = relative(this.#root, file);
      files[rel] = (await this.#stat.digest(rel)) ?? ("missing" as Digest);
    }
    const packages: Record<string, string> = {};
    for (const name of closure.packages) packages[name] = this.#version(name);
    const inline = stage.action.module ? undefined : digestString(String(stage.action.fn));
    return { files, packages, inline };
  }

  #closure(entry: string): ModuleImports {
    let closure = this.#closures.get(entry);
    if (!closure) {
      closure = importClosure(entry, scanImportsOnce);
      this.#closures.set(entry, closure);
    }
    return closure;
  }

  /** The version of an installed package, found the way Node resolves it from the workspace. */
  #version(name: string): string {
    let version = this.#versions.get(name);
    if (version) return version;
    version = "not-installed";
    for (let dir = this.#root; ; dir = dirname(dir)) {
      try {
        version = (JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
        break;
      } catch {
        if (dirname(dir) === dir) break;
      }
    }
    this.#versions.set(name, version);
    return version;
  }
}
