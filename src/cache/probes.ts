/**
 * Runtime probes: commands whose output enters a stage key (the interpreter
 * version a `cmd` stage runs under). Each probe runs once per command.
 */
import { execFile } from "node:child_process";
import { commandScopedMap } from "../util/command-scope.js";

const results = commandScopedMap<string, Promise<string>>();

/** The trimmed stdout+stderr of `command`, or `exit <code>` text when it fails. */
export function probe(command: string, cwd: string): Promise<string> {
  let result = results.get(command);
  if (!result) {
    result = new Promise((resolve) => {
      execFile("/bin/sh", ["-c", command], { cwd, timeout: 10_000 }, (error, stdout, stderr) => {
        const text = `${stdout}${stderr}`.trim();
        resolve(error ? `${text} (exit ${error.code ?? "error"})`.trim() : text);
      });
    });
    results.set(command, result);
  }
  return result;
}

/** Clears memoised probe results (watch mode re-probes on every cycle). */
export function resetProbes(): void {
  results.clear();
}
