/**
 * `sluice run [targets..]`: options -> load -> plan -> execute (or watch)
 * -> report -> exit code.
 */
import { availableParallelism } from "node:os";
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { executeRun, type RunArgs } from "../execute-run.js";

const command: CommandModule<GlobalOptions, RunArgs & GlobalOptions> = {
  command: "run [targets..]",
  describe: "Run the pipeline: every stale stage of the targets and their upstream",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("targets", {
        describe: "all (default), a project, a stage id (eta:train) or a glob (*:evaluate)",
        type: "string",
        array: true,
        default: [] as string[],
      })
      .option("jobs", { alias: "j", type: "number", default: availableParallelism(), describe: "stages run at once" })
      .option("keep-going", { alias: "k", type: "boolean", default: false, describe: "run every stage not downstream of a failure" })
      .option("force", {
        type: "string",
        array: true,
        describe: "rerun even when cached: all planned stages (--force) or the given ones (--force eta:train)",
      })
      .option("dry-run", { alias: "n", type: "boolean", default: false, describe: "show what would run and why; execute nothing" })
      .option("set", {
        type: "string",
        array: true,
        default: [] as string[],
        describe: "override a param for this run: --set eta:train.learningRate=0.2 (checked against its declared type)",
      })
      .option("resources", { type: "string", describe: "resource limits for the scheduler: gpu=1,memGiB=16" })
      .option("fail-on-hold", { type: "boolean", default: false, describe: "exit 3 when a promotion was held" })
      .option("strict", { type: "boolean", default: false, describe: "fail a cmd stage that writes files it does not declare as outs" })
      .option("wait", { type: "boolean", default: true, describe: "wait for another sluice process to release the workspace (--no-wait fails at once)" })
      .option("watch", { alias: "w", type: "boolean", default: false, describe: "rerun the affected stages whenever an input changes" })
      .option("remote-cache", {
        type: "string",
        describe: "shared cache URL (Bazel HTTP cache layout: <url>/ac/, <url>/cas/); default SLUICE_REMOTE_CACHE, then remoteCache in pipeline.ts; 'off' disables",
      })
      .option("remote-cache-read-only", { type: "boolean", default: false, describe: "fetch from the remote cache but never upload (untrusted runners)" })
      .option("shard", { type: "string", describe: "run only shard i of N (with its upstream), e.g. --shard 2/4; see `sluice plan --shards N`" })
      .option("executor", {
        type: "string",
        array: true,
        describe: "where stages execute, overriding their declared executor: slurm, local, or <stage glob>=<executor> (--executor '*:train=slurm')",
      })
      .option("shard-plan", { type: "string", describe: "take the shard from this `sluice plan --json` file, so every CI job agrees on the split" })
      .example("$0 run", "run everything that is stale")
      .example("$0 run eta --dry-run", "show what would run in project eta, and why")
      .example("$0 run eta:evaluate --set eta:train.learningRate=0.2", "try a variant without editing files")
      .example("$0 run eta --executor '*:train=slurm' --remote-cache http://cache:8080/sluice", "train on the Slurm cluster, the rest here")
      .example("$0 run --remote-cache http://cache:8080/sluice --shard 1/4", "one CI shard, sharing outputs through the remote cache") as unknown as Argv<RunArgs & GlobalOptions>,
  handler: async (argv) => {
    await executeRun(argv);
  },
};

export default command;
