/** `sluice watch [targets..]`: the same as `sluice run --watch`. */
import { defineCommand } from "../command-args.js";
import { runBuilder } from "./run.js";

export default defineCommand({
  command: "watch [targets..]",
  describe: "Rerun the affected stages whenever an input, param or code file changes",
  builder: runBuilder,
  handler: async (argv) => {
    const { watchWorkspace } = await import("../watch-command.js");
    await watchWorkspace(argv);
  },
});
