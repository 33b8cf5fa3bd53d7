/**
 * What every registry command does first: find the workspace from the
 * working folder and open its registry as the current actor.
 */
import { findWorkspaceRoot } from "../pipeline/index.js";
import { fail, ok, type Result } from "../util/result.js";
import { openRegistry } from "./open-registry.js";
import type { Registry } from "./registry.js";

/** The workspace root and its registry, or a one-line usage error. */
export async function openWorkspaceRegistry(
  cwd: string,
  actor?: string,
): Promise<Result<{ readonly root: string; readonly registry: Registry }, string>> {
  const root = findWorkspaceRoot(cwd);
  if (!root) return fail(`no sluice workspace at or above ${cwd} (a folder with pipeline.ts and package.json)`);
  try {
    return ok({ root, registry: await openRegistry(root, actor === undefined ? {} : { actor }) });
  } catch (error) {
    return fail((error as Error).message);
  }
}
