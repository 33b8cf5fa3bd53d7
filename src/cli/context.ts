/**
 * What most commands do first: find the workspace, load and validate its
 * pipeline, build the DAG. Problems are printed here and become exit code 2.
 */
import { buildDag, topoOrder, type Dag } from "../graph/index.js";
import { findWorkspaceRoot, loadTimeoutMs, loadWorkspace, type Diagnostic, type Workspace } from "../pipeline/index.js";
import { renderDiagnostic, writeErr } from "../report/index.js";
import { exitWith } from "./exit-code.js";

export interface Context {
  readonly root: string;
  readonly workspace: Workspace;
  readonly dag: Dag;
}

export interface GlobalOptions {
  readonly cwd?: string;
  readonly verbose?: boolean;
  readonly json?: boolean;
  /** `--load-timeout-ms`: stop a pipeline load still running after this long (0: no limit). */
  readonly loadTimeoutMs?: number;
}

/** Loads the workspace, or reports why not (exit 2) and returns undefined. */
export async function loadContext(argv: GlobalOptions): Promise<Context | undefined> {
  const from = argv.cwd ?? process.cwd();
  const root = findWorkspaceRoot(from);
  if (!root) return usageError(`no sluice workspace at or above ${from} (a folder with pipeline.ts and package.json; \`sluice init\` creates one)`);
  const timeoutMs = loadTimeoutMs(argv.loadTimeoutMs, process.env);
  if (!timeoutMs.ok) return usageError(timeoutMs.error);
  const loaded = await loadWorkspace(root, { timeoutMs: timeoutMs.value });
  if (!loaded.ok) {
    reportDiagnostics(loaded.error);
    // Ctrl-C during the load: the exit code of an interrupted run, not of a definition error.
    if (loaded.error.some((d) => d.reason === "load-interrupted")) exitWith("interrupted");
    return undefined;
  }
  if (argv.verbose && loaded.value.loadedThroughHooks !== undefined) {
    writeErr(`note: the pipeline loaded through TypeScript loader hooks, which is slower than the compiled mirror: ${loaded.value.loadedThroughHooks}`);
  }
  const dag = buildDag(loaded.value);
  const ordered = topoOrder(dag, new Set(dag.stages.keys()));
  if (!ordered.ok) {
    const first = dag.stages.get(ordered.cycle[0] as never);
    return reportDiagnostics([
      {
        reason: "cycle",
        message: `${first?.location.file}:${first?.location.line}: stage ${first?.id}: dependency cycle ${ordered.cycle.join(" -> ")}`,
        ...(first ? { stage: first.id, location: first.location } : {}),
      },
    ]);
  }
  return { root, workspace: loaded.value, dag };
}

/** Prints diagnostics and sets exit code 2. */
export function reportDiagnostics(diagnostics: readonly Diagnostic[]): undefined {
  for (const diagnostic of diagnostics) writeErr(renderDiagnostic(diagnostic));
  exitWith("usage");
  return undefined;
}

/** One clear usage message, exit code 2. */
export function usageError(message: string): undefined {
  writeErr(`error: ${message}`);
  exitWith("usage");
  return undefined;
}
