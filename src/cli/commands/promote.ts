/**
 * `sluice promote <project> <release> --to production`: the explicit move
 * of an alias. Refused for a release whose gates failed, without the
 * approvals the policy requires, or when the alias moved since `--expect`.
 */
import { promoteRelease } from "../../ops/index.js";
import { defineCommand } from "../command-args.js";
import { printOutcome } from "../registry-output.js";

const command = defineCommand({
  command: "promote <project> <release>",
  describe: "Move an alias (production) to a release, with the approvals the policy requires",
  builder: (y) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("release", { type: "string", demandOption: true })
      .option("to", { type: "string", demandOption: true, describe: "the alias to move (production, canary)" })
      .option("expect", { type: "string", describe: "refuse unless the alias holds this release now (`none`: unset)" })
      .option("reason", { type: "string", describe: "why, for the record" }),
  handler: async (argv) => {
    const { renderPromotion } = await import("../../dashboard/index.js");
    const expected = argv.expect === undefined ? undefined : argv.expect === "none" ? null : argv.expect;
    const request = { project: argv.project, release: argv.release, alias: argv.to, expected, reason: argv.reason };
    printOutcome(argv.json, await promoteRelease(argv.cwd ?? process.cwd(), request), renderPromotion);
  },
});

export default command;
