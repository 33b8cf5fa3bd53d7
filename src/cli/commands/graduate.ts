/**
 * `sluice graduate <notebook.ipynb> --project P --stage S`: the operation
 * (ops/graduate-notebook.ts) writes the script and, with --write, the
 * pipeline file; this prints what it did. Refusals exit 2 with one message.
 */
import { graduateDocument, graduateSummary } from "../../graduate/index.js";
import { graduate } from "../../ops/index.js";
import { writeErr, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "graduate <notebook>",
  describe: "Turn a Jupyter notebook into a python3 stage: a script with parsed params, and its declaration",
  builder: (yargs) =>
    yargs
      .positional("notebook", { type: "string", demandOption: true, describe: "the .ipynb file" })
      .option("project", { alias: "p", type: "string", demandOption: true, describe: "project to add the stage to (projects/<project>)" })
      .option("stage", { alias: "s", type: "string", demandOption: true, describe: "stage name; the script becomes projects/<project>/stages/<stage>.py" })
      .option("write", { type: "boolean", default: false, describe: "insert the declaration into projects/<project>/pipeline.ts instead of printing it" })
      .option("allow-out-of-order", { type: "boolean", default: false, describe: "graduate even though cells were run out of order" })
      .option("force", { type: "boolean", default: false, describe: "overwrite an existing script" })
      .option("deps", { type: "string", array: true, describe: "files the script reads that graduate could not detect (a path built at run time), relative to the project folder" })
      .option("outs", { type: "string", array: true, describe: "files the script writes that graduate could not detect (savefig to a computed path), relative to the project folder" })
      .example("$0 graduate projects/eta/notebooks/train.ipynb --project eta --stage train_py", "print the declaration to paste")
      .example("$0 graduate projects/eta/notebooks/train.ipynb -p eta -s train_py --write", "add it to projects/eta/pipeline.ts"),
  handler: async (argv) => {
    const graduated = await graduate({
      cwd: argv.cwd ?? process.cwd(),
      notebook: argv.notebook,
      project: argv.project,
      stage: argv.stage,
      write: argv.write,
      allowOutOfOrder: argv.allowOutOfOrder,
      force: argv.force,
      deps: argv.deps ?? [],
      outs: argv.outs ?? [],
      loadTimeoutMs: argv.loadTimeoutMs,
    });
    if (!graduated.ok) return exitWithFailure(graduated.error);
    const { graduation, written } = graduated.value;
    writeErr(graduateSummary(graduation, written));
    if (written.pipeline === "created") writeErr(`add "projects/${argv.project}" to the projects of the root pipeline.ts`);
    if (argv.json) writeOut(JSON.stringify(graduateDocument(graduation, written), null, 2));
    else if (!written.pipeline) writeOut(graduation.declaration);
  },
});

export default command;
