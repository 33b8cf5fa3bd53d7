/**
 * `sluice promote <project> <release> --to production`: the explicit move
 * of an alias. Refused for a release whose gates failed, without the
 * approvals the policy requires, or when the alias moved since `--expect`.
 */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { registryUsageError, withRegistryFailures } from "../registry-usage.js";
import { exitWith } from "../exit-code.js";

interface PromoteArgs extends GlobalOptions {
  readonly project: string;
  readonly release: string;
  readonly to: string;
  readonly expect?: string;
  readonly reason?: string;
}

const command: CommandModule<GlobalOptions, PromoteArgs> = {
  command: "promote <project> <release>",
  describe: "Move an alias (production) to a release, with the approvals the policy requires",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("release", { type: "string", demandOption: true })
      .option("to", { type: "string", demandOption: true, describe: "the alias to move (production, canary)" })
      .option("expect", { type: "string", describe: "refuse unless the alias holds this release now (`none`: unset)" })
      .option("reason", { type: "string", describe: "why, for the record" }) as unknown as Argv<PromoteArgs>,
  handler: async (argv) => {
    const [registry, messages] = await Promise.all([import("../../registry/index.js"), import("../../report/index.js")]);
    const opened = await registry.openWorkspaceRegistry(argv.cwd ?? process.cwd());
    if (!opened.ok) return registryUsageError(messages, opened.error, argv.json);
    const { root, registry: handle } = opened.value;
    const policy = await registry.loadProjectPolicy(root, argv.project);
    if (!policy.ok) {
      messages.printRegistryError(registry.describeRefusal(policy.error), argv.json, policy.error);
      exitWith("usage");
      return;
    }
    const expected = argv.expect === undefined ? undefined : argv.expect === "none" ? null : argv.expect;
    const reason = argv.reason ?? `promoted by ${handle.actor}`;
    const moved = await withRegistryFailures(messages, argv.json, () =>
      handle.promote(policy.value, { project: argv.project, release: argv.release, alias: argv.to, expected, reason }),
    );
    if (!moved) return;
    if (!moved.ok) {
      messages.printRegistryError(registry.describeRefusal(moved.error), argv.json, moved.error);
      exitWith(registry.isUsageRefusal(moved.error) ? "usage" : "failed");
      return;
    }
    const { from, to, drafts } = moved.value;
    const human = drafts.length === 0 ? `${argv.project}@${argv.to} already holds ${to}` : `${argv.project}@${argv.to}: ${from ?? "(unset)"} -> ${to}`;
    messages.printRegistryResult(argv.json, { ok: true, project: argv.project, alias: argv.to, from, to, moved: drafts.length > 0 }, human);
  },
};

export default command;
