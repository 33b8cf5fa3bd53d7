/**
 * `sluice plan [targets..] --shards N [--json]`: how a CI matrix of N jobs
 * should split the run, balanced by the durations recorded in run records.
 * Each job then runs `sluice run --shard i/N --shard-plan plan.json`.
 */
import type { Argv, CommandModule } from "yargs";
import { openCache } from "../../cache/index.js";
import { selectTargets } from "../../graph/index.js";
import { formatDuration, table, writeOut } from "../../report/index.js";
import { openRemote, peekDuration, planDocument, stageDurations, type RemoteArgs } from "../../ops/index.js";
import { loadContext, reportDiagnostics, usageError, type GlobalOptions } from "../context.js";
import { exitWithFailure } from "../exit-code.js";

interface PlanArgs extends GlobalOptions, RemoteArgs {
  readonly targets: readonly string[];
  readonly shards: number;
}

const command: CommandModule<GlobalOptions, PlanArgs> = {
  command: "plan [targets..]",
  describe: "Split the run into N CI shards that respect dependencies, balanced by recorded durations",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("targets", { type: "string", array: true, default: [] as string[], describe: "as for run" })
      .option("shards", { type: "number", default: 1, describe: "how many shards (CI jobs) to split into" })
      .option("remote-cache", { type: "string", describe: "read durations of locked stages from this remote cache (as for run)" })
      .example("$0 plan --shards 4 --json > plan.json", "a plan for a 4-job CI matrix")
      .example("$0 run --shard 2/4 --shard-plan plan.json", "run one shard of it") as unknown as Argv<PlanArgs>,
  handler: async (argv) => {
    if (!Number.isInteger(argv.shards) || argv.shards < 1) return void usageError(`--shards must be a positive whole number (got ${argv.shards})`);
    const context = await loadContext(argv);
    if (!context) return;
    const selected = selectTargets(context.dag, argv.targets);
    if (!selected.ok) return void reportDiagnostics(selected.error);
    const remote = await openRemote({ ...argv, remoteCacheReadOnly: true }, context.workspace);
    if (!remote.ok) return void exitWithFailure(remote.error);
    const cache = await openCache(context.root);
    const durations = await stageDurations(cache, selected.value, peekDuration(remote.value));
    const plan = planDocument(context.dag, selected.value, argv.shards, durations);
    if (argv.json) return void writeOut(JSON.stringify(plan, null, 2));
    const rows = [["shard", "stages", "estimated", "stage ids"]];
    for (const shard of plan.shards) {
      rows.push([`${shard.index}/${plan.count}`, String(shard.stages.length), formatDuration(shard.estimatedMs), shard.stages.join(" ")]);
    }
    writeOut(table(rows));
    writeOut(`\none machine: ${formatDuration(plan.totalMs)}; ${plan.count} shards: ${formatDuration(plan.makespanMs)} (the slowest shard)`);
  },
};

export default command;
