/**
 * What most operations start from: the workspace at or above a folder,
 * its pipeline files loaded and validated, its DAG built and checked for
 * cycles. Every way this can fail is a usage failure (with diagnostics
 * naming file, line and stage), except Ctrl-C during the load.
 */
import { buildDag, topoOrder } from "../graph/index.js";
import { findWorkspaceRoot, loadTimeoutMs, loadWorkspace } from "../pipeline/index.js";
import { fail } from "../util/result.js";
import { refuse, refuseWith, type OpFailure, type OpResult } from "./failure.js";
import type { LoadedWorkspace } from "./run-once.js";

export interface LoadRequest {
  /** The folder to start from (`-C`, else the current one). */
  readonly cwd: string;
  /** `--load-timeout-ms`; else SLUICE_LOAD_TIMEOUT_MS, else the default. */
  readonly loadTimeoutMs: number | undefined;
}

/** The workspace root at or above `cwd`, or the usage failure every operation gives without one. */
export function workspaceRootAt(cwd: string): OpResult<string> {
  const root = findWorkspaceRoot(cwd);
  if (root) return { ok: true, value: root };
  return refuse("usage", `no sluice workspace at or above ${cwd} (a folder with pipeline.ts and package.json; \`sluice init\` creates one)`);
}

export async function loadWorkspaceAt(request: LoadRequest): Promise<OpResult<LoadedWorkspace>> {
  const found = workspaceRootAt(request.cwd);
  if (!found.ok) return found;
  const root = found.value;
  const timeoutMs = loadTimeoutMs(request.loadTimeoutMs, process.env);
  if (!timeoutMs.ok) return refuse("usage", timeoutMs.error);
  const loaded = await loadWorkspace(root, { timeoutMs: timeoutMs.value });
  if (!loaded.ok) {
    // Ctrl-C during the load: the exit code of an interrupted run, not of a definition error.
    const interrupted = loaded.error.some((d) => d.reason === "load-interrupted");
    return interrupted ? fail<OpFailure>({ kind: "interrupted", diagnostics: loaded.error }) : refuseWith(loaded.error);
  }
  const dag = buildDag(loaded.value);
  const ordered = topoOrder(dag, new Set(dag.stages.keys()));
  if (!ordered.ok) {
    const first = dag.stages.get(ordered.cycle[0] as never);
    return refuseWith([
      {
        reason: "cycle",
        message: `${first?.location.file}:${first?.location.line}: stage ${first?.id}: dependency cycle ${ordered.cycle.join(" -> ")}`,
        ...(first ? { stage: first.id, location: first.location } : {}),
      },
    ]);
  }
  return { ok: true, value: { root, workspace: loaded.value, dag } };
}
