/** `sluice watch` / `run --watch`: load, hand the run options to the watch operation, exit 130 on Ctrl-C. */
import { watchWorkspace as watchLoop } from "../ops/index.js";
import { loadContext } from "./context.js";
import { exitWithFailure } from "./exit-code.js";
import type { RunArgs } from "./run-options.js";

export async function watchWorkspace(argv: RunArgs): Promise<void> {
  const context = await loadContext(argv);
  if (!context) return;
  exitWithFailure(await watchLoop(context, childArgs(argv)));
}

/** The run options a cycle passes on (targets and everything but --watch). */
function childArgs(argv: RunArgs): string[] {
  const args = [...argv.targets, "--jobs", String(argv.jobs)];
  if (argv.keepGoing) args.push("--keep-going");
  for (const set of argv.set) args.push("--set", set);
  if (argv.resources) args.push("--resources", argv.resources);
  if (argv.verbose) args.push("--verbose");
  return args;
}
