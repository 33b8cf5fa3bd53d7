/**
 * `sluice plan [targets..] --shards N [--json]`: how a CI matrix of N jobs
 * should split the run, balanced by the durations recorded in run records.
 * Each job then runs `sluice run --shard i/N --shard-plan plan.json`.
 */
import { formatDuration, table, writeOut } from "../../report/index.js";
import { planShards } from "../../ops/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext } from "../context.js";
import { exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "plan [targets..]",
  describe: "Split the run into N CI shards that respect dependencies, balanced by recorded durations",
  builder: (yargs) =>
    yargs
      .positional("targets", { type: "string", array: true, default: [] as string[], describe: "as for run" })
      .option("shards", { type: "number", default: 1, describe: "how many shards (CI jobs) to split into" })
      .option("remote-cache", { type: "string", describe: "read durations of locked stages from this remote cache (as for run)" })
      .example("$0 plan --shards 4 --json > plan.json", "a plan for a 4-job CI matrix")
      .example("$0 run --shard 2/4 --shard-plan plan.json", "run one shard of it"),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const planned = await planShards(context, argv);
    if (!planned.ok) return void exitWithFailure(planned.error);
    const plan = planned.value;
    if (argv.json) return void writeOut(JSON.stringify(plan, null, 2));
    const rows = [["shard", "stages", "estimated", "stage ids"]];
    for (const shard of plan.shards) {
      rows.push([`${shard.index}/${plan.count}`, String(shard.stages.length), formatDuration(shard.estimatedMs), shard.stages.join(" ")]);
    }
    writeOut(table(rows));
    writeOut(`\none machine: ${formatDuration(plan.totalMs)}; ${plan.count} shards: ${formatDuration(plan.makespanMs)} (the slowest shard)`);
  },
});

export default command;
