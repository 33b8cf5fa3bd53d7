/** A registry command's usage error (no workspace, unknown project or release): one message, exit 2. */
import { storageFailureExitCode } from "../registry/index.js";
import type { printRegistryError } from "../report/index.js";
import { exitWith, kindOfCode } from "./exit-code.js";

export function registryUsageError(messages: { printRegistryError: typeof printRegistryError }, message: string, json: boolean | undefined): void {
  messages.printRegistryError(message, json);
  exitWith("usage");
}

/**
 * Runs a registry operation; an expected failure becomes one `error:` line
 * and its exit code instead of an "internal error". Anything else is a bug
 * and is rethrown for the top level to report. Undefined after a failure.
 */
export async function withRegistryFailures<T>(
  messages: { printRegistryError: typeof printRegistryError },
  json: boolean | undefined,
  operation: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await operation();
  } catch (error) {
    const code = storageFailureExitCode(error);
    if (code === undefined) throw error;
    messages.printRegistryError((error as Error).message, json);
    exitWith(kindOfCode(code));
    return undefined;
  }
}
