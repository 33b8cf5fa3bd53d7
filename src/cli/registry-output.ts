/**
 * How a registry command ends: the operation's document (`--json`) or its
 * text for people on stdout; a failure as one `error:` line (with a JSON
 * error document under `--json`) and the exit code of its kind.
 */
import type { OpResult } from "../ops/index.js";
import { printRegistryError, printRegistryResult } from "../report/index.js";
import { exitWith } from "./exit-code.js";

/** Prints `result`; the document when it succeeded, undefined after a failure. */
export function printOutcome<T>(json: boolean | undefined, result: OpResult<T>, human: (document: T) => string): T | undefined {
  if (!result.ok) {
    printRegistryError(result.error.message ?? "failed", json, result.error.detail);
    exitWith(result.error.kind);
    return undefined;
  }
  printRegistryResult(json, result.value, human(result.value));
  return result.value;
}
