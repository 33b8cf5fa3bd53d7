/**
 * `sluice job <stage> --key <key> --remote-cache <url>`: what a cluster job
 * runs on its node, in a checkout of the submitter's commit. A run of the
 * stage and its upstream, here and nowhere else: upstream outputs restore
 * from the remote cache (the submitter uploaded them), the stage executes
 * only under the key the submitter computed, and its outputs and record go
 * back to the remote for the submitter to restore.
 */
import { jobStillRunning, keyCheckingExecutor } from "../../exec/index.js";
import { matchTargets } from "../../graph/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext, reportDiagnostics, usageError } from "../context.js";
import { runLoaded } from "../execute-run.js";

export default defineCommand({
  command: "job <stage>",
  describe: "Run one stage as a cluster job: inputs from the remote cache, outputs and record back to it (executors submit this)",
  builder: (yargs) =>
    yargs
      .positional("stage", { type: "string", demandOption: true, describe: "the stage id, e.g. eta:train" })
      .option("key", { type: "string", demandOption: true, describe: "the stage key the submitter computed; another key here fails the job" })
      .option("remote-cache", { type: "string", demandOption: true, describe: "the remote cache URL the submitter uses" })
      .option("set", { type: "string", array: true, default: [] as string[], describe: "the submitter's --set overrides" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const matched = matchTargets(context.dag, [argv.stage]);
    if (!matched.ok) return void reportDiagnostics(matched.error);
    const id = [...matched.value][0];
    if (matched.value.size !== 1 || id !== argv.stage) return void usageError(`"${argv.stage}" is not one stage id`);
    const expected = keyCheckingExecutor(argv.key, await jobStillRunning(process.env));
    // Every other run option is decided here, not by the job's flags: this stage and its upstream, once.
    const run = {
      ...argv,
      targets: [id],
      jobs: 1,
      keepGoing: false,
      force: undefined,
      dryRun: false,
      resources: undefined,
      failOnHold: false,
      strict: false,
      wait: true,
      watch: false,
      remoteCacheReadOnly: false,
      shard: undefined,
      shardPlan: undefined,
      executor: undefined,
    };
    // Given a chooser, the declarations and --executor are not consulted: the upstream runs here (undefined), never as another job.
    await runLoaded(context, run, (stage) => (stage.id === id ? expected : undefined));
  },
});
