/**
 * Finds the module that exports each stage function. A function's code
 * identity is that module and what it imports, not the pipeline file that
 * wires it, so editing a param in `pipeline.ts` does not look like a code
 * change to every stage the file declares.
 */
import type { ModuleLoader } from "./load.js";
import { LoadStopped } from "./load-watchdog.js";
import { importClosure, scanImportsOnce, type ModuleImports } from "./module-graph.js";

/**
 * Maps every function exported by a local module reachable from the pipeline
 * file to the module exporting it. When several modules export the same
 * function (re-exports), the one with the smallest import closure wins: the
 * defining module, not a barrel.
 */
export async function exportingModules(pipelineFile: string, loader: ModuleLoader): Promise<Map<unknown, string>> {
  const owners = new Map<unknown, { module: string; size: number }>();
  // Only what loading the pipeline file loaded can hold its functions: a module named only by
  // `import()` (a `runFrom` stage's) is not evaluated here, which is the point of naming it so.
  const closure = importClosure(pipelineFile, loadedWithImporter);
  for (const module of closure.local) {
    if (module === pipelineFile || !/\.[cm]?[jt]sx?$/.test(module)) continue;
    let exports: Record<string, unknown>;
    try {
      exports = await loader.import(module);
    } catch (error) {
      if (error instanceof LoadStopped) throw error; // Ctrl-C or the time limit: the whole load stops
      continue; // not loadable on its own (a data file, a broken helper); the pipeline load reports real failures
    }
    const size = importClosure(module, scanImportsOnce).local.length;
    for (const value of Object.values(exports)) {
      if (typeof value !== "function") continue;
      const known = owners.get(value);
      if (!known || size < known.size) owners.set(value, { module, size });
    }
  }
  return new Map([...owners].map(([fn, owner]) => [fn, owner.module]));
}

/** A module's imports without those named only by `import()`. */
function loadedWithImporter(file: string): ModuleImports {
  const imports = scanImportsOnce(file);
  const deferred = imports.deferred;
  return deferred ? { local: imports.local.filter((target) => !deferred.includes(target)), packages: imports.packages } : imports;
}
