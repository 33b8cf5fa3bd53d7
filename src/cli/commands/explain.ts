/**
 * `sluice explain <stage>`: which key components changed since the stage's
 * last successful run ("params.lr 0.1 -> 0.2", "code projects/eta/model.ts changed").
 */
import type { Argv, CommandModule } from "yargs";
import { openCache, readLockFile, type StageKey } from "../../cache/index.js";
import { matchTargets, withUpstream } from "../../graph/index.js";
import type { StageId } from "../../pipeline/index.js";
import { writeOut } from "../../report/index.js";
import { loadContext, reportDiagnostics, usageError, type GlobalOptions } from "../context.js";
import { dryRun } from "../dry-run.js";

interface ExplainArgs extends GlobalOptions {
  readonly stage: string;
}

const command: CommandModule<GlobalOptions, ExplainArgs> = {
  command: "explain <stage>",
  describe: "Explain why a stage would run: which parts of its key changed since its last run",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs.positional("stage", { type: "string", demandOption: true, describe: "a stage id, e.g. eta:train" }) as unknown as Argv<ExplainArgs>,
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const matched = matchTargets(context.dag, [argv.stage]);
    if (!matched.ok) return void reportDiagnostics(matched.error);
    if (matched.value.size !== 1) return void usageError(`"${argv.stage}" matches ${matched.value.size} stages; name one stage id`);
    const id = [...matched.value][0] as StageId;
    const cache = await openCache(context.root);
    const build = await dryRun(cache, context, withUpstream(context.dag, [id]));
    const result = build.results.find((r) => r.id === id);
    if (!result) return;
    const locked = readLockFile(cache.layout.lockFile).stages[id];
    const record = locked ? (await cache.records.get(locked.key as StageKey)).record : undefined;
    const modified = result.differing?.some((d) => d.state === "modified") === true;
    const state = result.status === "would-run" ? "stale" : result.status === "restored" ? (modified ? "modified" : "missing") : "fresh";
    const reasons = state === "fresh" ? [`key ${result.key} matches its last run`] : result.why;
    const executor = context.workspace.stages.get(id)?.executor ?? "local";
    if (argv.json) {
      writeOut(JSON.stringify({ id, state, key: result.key ?? null, lastKey: locked?.key ?? null, changes: reasons, components: record?.components ?? null, executor }, null, 2));
      return;
    }
    writeOut(`${id}: ${state}`);
    for (const reason of reasons) writeOut(`  ${reason}`);
    // Said every time: a user moving a stage to a cluster should know it does not rerun for the move.
    writeOut(`  executor: ${executor} (not part of the key: the same inputs give the same key, local or on a cluster)`);
  },
};

export default command;
