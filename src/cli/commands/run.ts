/**
 * `sluice run [targets..]`: options -> load -> plan -> execute (or watch)
 * -> report -> exit code.
 */
import { defineCommand, type GlobalArgv } from "../command-args.js";
import { executeRun } from "../execute-run.js";
import { runOptions } from "../run-options.js";

/** The run options and the examples `sluice run --help` (and `sluice watch --help`) shows. */
export function runBuilder(yargs: GlobalArgv) {
  return runOptions(yargs)
    .example("$0 run", "run everything that is stale")
    .example("$0 run eta --dry-run", "show what would run in project eta, and why")
    .example("$0 run eta:evaluate --set eta:train.learningRate=0.2", "try a variant without editing files")
    .example("$0 run eta --executor '*:train=slurm' --remote-cache http://cache:8080/sluice", "train on the Slurm cluster, the rest here")
    .example("$0 run --remote-cache http://cache:8080/sluice --shard 1/4", "one CI shard, sharing outputs through the remote cache");
}

export default defineCommand({
  command: "run [targets..]",
  describe: "Run the pipeline: every stale stage of the targets and their upstream",
  builder: runBuilder,
  handler: async (argv) => {
    await executeRun(argv);
  },
});
