/**
 * `sluice retrain <project> --trigger drift|schedule|manual`: a new
 * candidate from a later snapshot, through the whole pipeline and the
 * promotion record, with the trigger recorded in the release's lineage.
 */
import { defineCommand } from "../command-args.js";
import { exitWith, kindOfCode } from "../exit-code.js";

const command = defineCommand({
  command: "retrain <project>",
  describe: "Build a new candidate from a later snapshot (validation, evaluation and promotion record included)",
  builder: (y) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .option("trigger", { choices: ["drift", "schedule", "manual"] as const, demandOption: true, describe: "why this retrain happens (recorded in lineage)" })
      .option("cause", { type: "string", describe: "details for the record (default: names the trigger)" })
      .option("snapshot", { type: "string", describe: "the new snapshot date YYYY-MM-DD (default: the current one plus the policy's advanceDays)" })
      .example("$0 retrain eta --trigger schedule", "weekly retrain: snapshot date + 7 days, full pipeline, promotion record")
      .example("$0 retrain forecast --trigger manual --snapshot 2026-06-30 --cause 'new warehouse'", "retrain on a chosen snapshot"),
  handler: async (argv) => {
    const [{ findWorkspaceRoot }, { describeRetrain, retrainProject }, messages] = await Promise.all([
      import("../../pipeline/index.js"),
      import("../../ops/index.js"),
      import("../../report/index.js"),
    ]);
    const cwd = argv.cwd ?? process.cwd();
    const root = findWorkspaceRoot(cwd);
    if (!root) {
      messages.printRegistryError(`no sluice workspace at or above ${cwd} (a folder with pipeline.ts and package.json)`, argv.json);
      exitWith("usage");
      return;
    }
    const cause = argv.cause ?? `${argv.trigger} retrain requested by hand`;
    const outcome = await retrainProject(root, argv.project, { kind: argv.trigger, cause }, { snapshot: argv.snapshot });
    if (!outcome.ok) {
      messages.printRegistryError(outcome.error.message, argv.json);
      exitWith(kindOfCode(outcome.error.exitCode));
      return;
    }
    const { snapshot, decision, exitCode } = outcome.value;
    messages.printRegistryResult(argv.json, { ok: exitCode === 0, ...outcome.value }, `${argv.project}: ${describeRetrain(snapshot, decision)}`);
    exitWith(exitCode === 0 ? "ok" : "failed");
  },
});

export default command;
