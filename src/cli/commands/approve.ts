/**
 * `sluice approve <project> <release> --role R [--by NAME] [--key FILE]`:
 * records a sign-off signed with the approver's SSH key (`--key`, then
 * SLUICE_SIGNING_KEY, then git's user.signingkey). The key, not the typed
 * name, is what counts: it must be listed in the role's allowed_signers
 * file. The name defaults to the current identity (SLUICE_ACTOR,
 * GITHUB_ACTOR, git user.name).
 */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { registryUsageError, withRegistryFailures } from "../registry-usage.js";
import { exitWith } from "../exit-code.js";

interface ApproveArgs extends GlobalOptions {
  readonly project: string;
  readonly release: string;
  readonly role: string;
  readonly by?: string;
  readonly note?: string;
  readonly key?: string;
}

const command: CommandModule<GlobalOptions, ApproveArgs> = {
  command: "approve <project> <release>",
  describe: "Approve a release in a role the promotion policy names",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("release", { type: "string", demandOption: true })
      .option("role", { type: "string", demandOption: true, describe: "the role approving (ml_lead, risk)" })
      .option("by", { type: "string", describe: "approver (default: SLUICE_ACTOR, GITHUB_ACTOR, git user.name)" })
      .option("note", { type: "string", describe: "why, for the record" })
      .option("key", { type: "string", describe: "SSH key to sign with (default: SLUICE_SIGNING_KEY, then git config user.signingkey)" }) as unknown as Argv<ApproveArgs>,
  handler: async (argv) => {
    const [registry, messages] = await Promise.all([import("../../registry/index.js"), import("../../report/index.js")]);
    const opened = await registry.openWorkspaceRegistry(argv.cwd ?? process.cwd());
    if (!opened.ok) return registryUsageError(messages, opened.error, argv.json);
    const { root, registry: handle } = opened.value;
    const policy = await registry.loadProjectPolicy(root, argv.project);
    if (!policy.ok) return registryUsageError(messages, registry.describeRefusal(policy.error), argv.json);
    const key = registry.resolveSigningKey(argv.key, argv.cwd ?? process.cwd());
    if (!key.ok) return registryUsageError(messages, key.error, argv.json);
    const by = argv.by ?? handle.actor;
    const approved = await withRegistryFailures(messages, argv.json, () =>
      handle.approve(policy.value, { project: argv.project, release: argv.release, role: argv.role, by, note: argv.note ?? "" }, key.value),
    );
    if (!approved) return;
    if (!approved.ok) {
      messages.printRegistryError(registry.describeRefusal(approved.error), argv.json, approved.error);
      exitWith(registry.isUsageRefusal(approved.error) ? "usage" : "failed");
      return;
    }
    const gap = await handle.approvalGap(policy.value, argv.project, argv.release, "production");
    const still = gap.missing.length > 0 ? `; production still needs ${gap.missing.join(", ")}` : "; production approvals complete";
    const check = approved.value.check;
    const signer = check.counted ? { key: check.fingerprint, signer: check.principals } : { key: check.fingerprint ?? null, signer: [] };
    messages.printRegistryResult(
      argv.json,
      { ok: true, recorded: approved.value.recorded, project: argv.project, release: argv.release, role: argv.role, by, ...signer, missingForProduction: gap.missing },
      `${approved.value.recorded ? "approved" : "already approved"}: ${argv.project} ${argv.release} as ${argv.role} by ${by}` +
        ` (key ${signer.key ?? "?"}, ${signer.signer.join(", ")} in the allowed signers)${still}`,
    );
  },
};

export default command;
