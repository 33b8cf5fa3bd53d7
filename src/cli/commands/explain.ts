/**
 * `sluice explain <stage>`: which key components changed since the stage's
 * last successful run ("params.lr 0.1 -> 0.2", "code projects/eta/model.ts changed").
 */
import type { Argv, CommandModule } from "yargs";
import { explainStage } from "../../ops/index.js";
import { writeOut } from "../../report/index.js";
import { loadContext, type GlobalOptions } from "../context.js";
import { exitWithFailure } from "../exit-code.js";

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
    const explained = await explainStage(context, argv.stage);
    if (!explained.ok) return exitWithFailure(explained.error);
    const { id, state, changes, executor } = explained.value;
    if (argv.json) return void writeOut(JSON.stringify(explained.value, null, 2));
    writeOut(`${id}: ${state}`);
    for (const change of changes) writeOut(`  ${change}`);
    // Said every time: a user moving a stage to a cluster should know it does not rerun for the move.
    writeOut(`  executor: ${executor} (not part of the key: the same inputs give the same key, local or on a cluster)`);

  },
};

export default command;
