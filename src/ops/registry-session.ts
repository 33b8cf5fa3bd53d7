/**
 * How a registry operation meets the registry: opened from the workspace
 * (a missing workspace or an unusable registry URL is a usage failure), its
 * storage failures turned into `OpFailure`s (storage that cannot be reached
 * is usage, a damaged log a failed verification), and a refusal described
 * once, with its fields for `--json`. Anything else is a bug and is
 * rethrown. The registry is imported on use: `sluice run` loads this folder
 * and must not pay for it.
 */
import type { Registry, RegistryRefusal } from "../registry/index.js";
import { fail } from "../util/result.js";
import type { OpFailure, OpResult } from "./failure.js";

/** The registry of the workspace at or above a folder. */
export interface OpenedRegistry {
  readonly root: string;
  readonly registry: Registry;
}

/** Opens the workspace's registry and runs `operation` on it, its expected failures as `OpFailure`s. */
export async function withRegistry<T>(cwd: string, operation: (opened: OpenedRegistry) => Promise<OpResult<T>>): Promise<OpResult<T>> {
  const registry = await import("../registry/index.js");
  const opened = await registry.openWorkspaceRegistry(cwd);
  if (!opened.ok) return fail<OpFailure>({ kind: "usage", message: opened.error });
  return storageFailures(() => operation(opened.value));
}

/** Runs `operation`; a storage failure the registry expects becomes an `OpFailure`, anything else is rethrown. */
export async function storageFailures<T>(operation: () => Promise<OpResult<T>>): Promise<OpResult<T>> {
  try {
    return await operation();
  } catch (error) {
    const { storageFailureExitCode } = await import("../registry/index.js");
    const code = storageFailureExitCode(error);
    if (code === undefined) throw error;
    return fail<OpFailure>({ kind: code === 2 ? "usage" : "failed", message: (error as Error).message });
  }
}

/** A registry refusal as a failure: usage for a wrong name or missing approval request, failed otherwise. */
export async function refused(refusal: RegistryRefusal): Promise<{ readonly ok: false; readonly error: OpFailure }> {
  const { describeRefusal, isUsageRefusal } = await import("../registry/index.js");
  return fail<OpFailure>({ kind: isUsageRefusal(refusal) ? "usage" : "failed", message: describeRefusal(refusal), detail: refusal });
}
