/**
 * `sluice explain <stage>`: which key components changed since the stage's
 * last successful run ("params.lr 0.1 -> 0.2", "code projects/eta/model.ts changed").
 */
import { explainStage } from "../../ops/index.js";
import { writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext } from "../context.js";
import { exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "explain <stage>",
  describe: "Explain why a stage would run: which parts of its key changed since its last run",
  builder: (yargs) =>
    yargs.positional("stage", { type: "string", demandOption: true, describe: "a stage id, e.g. eta:train" }),
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
});

export default command;
