/** A registry command's usage error (no workspace, unknown project or release): one message, exit 2. */
import type { printRegistryError } from "../report/registry-messages.js";

export function registryUsageError(messages: { printRegistryError: typeof printRegistryError }, message: string, json: boolean | undefined): void {
  messages.printRegistryError(message, json);
  process.exitCode = 2;
}
