/** `sluice watch [targets..]`: the same as `sluice run --watch`. */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import type { RunArgs } from "../execute-run.js";
import run from "./run.js";

const command: CommandModule<GlobalOptions, RunArgs & GlobalOptions> = {
  command: "watch [targets..]",
  describe: "Rerun the affected stages whenever an input, param or code file changes",
  builder: (yargs: Argv<GlobalOptions>) => (run.builder as (y: Argv<GlobalOptions>) => Argv<RunArgs & GlobalOptions>)(yargs),
  handler: async (argv) => {
    const { watchWorkspace } = await import("../watch-command.js");
    await watchWorkspace(argv);
  },
};

export default command;
