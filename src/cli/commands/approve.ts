/**
 * `sluice approve <project> <release> --role R [--by NAME] [--key FILE]`:
 * records a sign-off signed with the approver's SSH key (`--key`, then
 * SLUICE_SIGNING_KEY, then git's user.signingkey). The key, not the typed
 * name, is what counts: it must be listed in the role's allowed_signers
 * file. The name defaults to the current identity (SLUICE_ACTOR,
 * GITHUB_ACTOR, git user.name).
 */
import { approveRelease } from "../../ops/index.js";
import { defineCommand } from "../command-args.js";
import { printOutcome } from "../registry-output.js";

const command = defineCommand({
  command: "approve <project> <release>",
  describe: "Approve a release in a role the promotion policy names",
  builder: (y) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("release", { type: "string", demandOption: true })
      .option("role", { type: "string", demandOption: true, describe: "the role approving (ml_lead, risk)" })
      .option("by", { type: "string", describe: "approver (default: SLUICE_ACTOR, GITHUB_ACTOR, git user.name)" })
      .option("note", { type: "string", describe: "why, for the record" })
      .option("key", { type: "string", describe: "SSH key to sign with (default: SLUICE_SIGNING_KEY, then git config user.signingkey)" }),
  handler: async (argv) => {
    const { renderApproval } = await import("../../dashboard/index.js");
    const request = { project: argv.project, release: argv.release, role: argv.role, by: argv.by, note: argv.note, key: argv.key };
    printOutcome(argv.json, await approveRelease(argv.cwd ?? process.cwd(), request), renderApproval);
  },
});

export default command;
