/** `sluice dag [targets..] --format mermaid|dot|json`: the stage graph. */
import { buildDag } from "../../graph/index.js";
import { selectTargets } from "../../graph/index.js";
import { renderDag, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext, reportDiagnostics } from "../context.js";

const command = defineCommand({
  command: "dag [targets..]",
  describe: "Print the stage graph (Mermaid, Graphviz dot or JSON)",
  builder: (yargs) =>
    yargs
      .positional("targets", { type: "string", array: true, default: [] as string[], describe: "as for run" })
      .option("format", { choices: ["mermaid", "dot", "json"] as const, default: "mermaid" as const }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const selected = selectTargets(context.dag, argv.targets);
    if (!selected.ok) return void reportDiagnostics(selected.error);
    const stages = new Map([...context.workspace.stages].filter(([id]) => selected.value.has(id)));
    const dag = buildDag({ ...context.workspace, stages });
    writeOut(renderDag(dag, argv.json ? "json" : argv.format));
  },
});

export default command;
