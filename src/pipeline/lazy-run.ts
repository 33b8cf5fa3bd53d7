/**
 * Finds the module a `runFrom` reference names, without loading it: its
 * specifier comes from the loader's text, its file from the import
 * resolution the static scan uses, and whether it exports the name from its
 * text. What is found is the stage's code identity; what is not is a
 * definition error at planning, not a failure when the stage first runs.
 */
import { dirname, relative } from "node:path";
import type { LazyRun } from "./decl.js";
import { resolveLocal } from "./module-graph.js";

/** Whether a declaration's `run` is a `runFrom` reference. */
export function isLazyRun(run: unknown): run is LazyRun {
  return typeof run === "object" && run !== null && (run as { kind?: unknown }).kind === "lazy-run";
}

/**
 * `() => import("./x.js")` as compiled (esbuild keeps it so), optionally
 * async or with a block body. Loaded through tsx's hooks (a pipeline that
 * imports JSON), the import gains a `.then(...)` of tsx's module interop.
 */
const LOADER_TEXT = /^(?:async\s*)?\(\s*\)\s*=>\s*\{?\s*(?:return\s+)?import\(\s*(["'`])(\.{1,2}\/[^"'`]+)\1\s*\)(?:\.then\([\s\S]*\))?\s*;?\s*\}?$/;

/**
 * The absolute path of the module a reference names, or what is wrong with
 * it. `moduleText` reads a module's text; validation passes one that reads
 * each module once, as a hundred stages may name the same module.
 */
export function lazyRunModule(run: LazyRun, moduleText: (path: string) => string): { readonly module: string } | { readonly problem: string } {
  const specifier = LOADER_TEXT.exec(String(run.load).trim())?.[2];
  if (specifier === undefined) {
    return { problem: `runFrom's loader must be written () => import("./module.js") with a relative path, so the module is known without loading it` };
  }
  const module = resolveLocal(dirname(run.location.file), specifier);
  if (module === undefined) return { problem: `runFrom names ${specifier}, and no such module exists next to ${run.location.file}` };
  if (!mayExport(moduleText(module), run.exportName)) {
    const shown = relative(dirname(run.location.file), module) || module;
    return { problem: `runFrom names export "${run.exportName}" of ${shown}, which does not export it` };
  }
  return { module };
}

/**
 * Whether module text may export `name`: a declaration or list naming it,
 * or any `export *` (whose targets the check does not follow). Textual, so
 * an export inside a comment passes: the stage's worker then says so.
 */
function mayExport(text: string, name: string): boolean {
  if (/\bexport\s*\*\s*from\b/.test(text)) return true;
  const escaped = name.replace(/[$]/g, "\\$");
  const declared = new RegExp(`\\bexport\\s+(?:declare\\s+)?(?:async\\s+)?(?:function\\s*\\*?|const|let|var|class)\\s+${escaped}(?![\\w$])`);
  if (declared.test(text)) return true;
  for (const list of text.matchAll(/\bexport\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const entry of (list[1] ?? "").split(",")) {
      const exported = entry.trim().split(/\s+as\s+/).pop()?.trim();
      if (exported === name) return true;
    }
  }
  return false;
}
