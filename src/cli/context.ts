/**
 * What most commands do first: the loaded workspace (ops/load-workspace.ts),
 * its problems printed here with their exit code.
 */
import { loadWorkspaceAt, type LoadedWorkspace } from "../ops/index.js";
import type { Diagnostic } from "../pipeline/index.js";
import { writeErr } from "../report/index.js";
import type { GlobalOptions } from "./command-args.js";
import { exitWithFailure } from "./exit-code.js";

export type { GlobalOptions } from "./command-args.js";

/** A loaded workspace, as commands receive it. */
export type Context = LoadedWorkspace;

/**
 * Loads the workspace, or reports why not (exit 2; 130 when Ctrl-C stopped
 * the load) and returns undefined. A global option left out is one not given.
 */
export async function loadContext(argv: Partial<GlobalOptions>): Promise<Context | undefined> {
  const loaded = await loadWorkspaceAt({ cwd: argv.cwd ?? process.cwd(), loadTimeoutMs: argv.loadTimeoutMs });
  if (!loaded.ok) return exitWithFailure(loaded.error);
  if (argv.verbose && loaded.value.workspace.loadedThroughHooks !== undefined) {
    writeErr(`note: the pipeline loaded through TypeScript loader hooks, which is slower than the compiled mirror: ${loaded.value.workspace.loadedThroughHooks}`);
  }
  return loaded.value;
}

/** Prints diagnostics and sets exit code 2. */
export function reportDiagnostics(diagnostics: readonly Diagnostic[]): undefined {
  return exitWithFailure({ kind: "usage", diagnostics });
}

/** One clear usage message, exit code 2. */
export function usageError(message: string): undefined {
  return exitWithFailure({ kind: "usage", message });
}
