/**
 * `sluice lineage <project> [@alias|release]`: the live release (production,
 * else the canary while nothing reached production) traced back
 * to data, features, model, policy, gate evidence, evaluation, approvals
 * and the events that moved it.
 */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { registryUsageError, withRegistryFailures } from "../registry-usage.js";
import { exitWith } from "../exit-code.js";

interface LineageArgs extends GlobalOptions {
  readonly project: string;
  readonly ref: string | undefined;
}

const command: CommandModule<GlobalOptions, LineageArgs> = {
  command: "lineage <project> [ref]",
  describe: "Trace a live release back to its data, model, policy and evidence",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("ref", { type: "string", describe: "@alias or a release name (default: @production, else @canary while only the canary is live)" })
      .example("$0 lineage eta", "the live release of eta: production's, or the canary's before anything reached production")
      .example("$0 lineage eta eta_v1", "one release") as unknown as Argv<LineageArgs>,
  handler: async (argv) => {
    const [registry, messages, render] = await Promise.all([
      import("../../registry/index.js"),
      import("../../report/index.js"),
      import("../../dashboard/index.js"),
    ]);
    const opened = await registry.openWorkspaceRegistry(argv.cwd ?? process.cwd());
    if (!opened.ok) return registryUsageError(messages, opened.error, argv.json);
    const handle = opened.value.registry;
    const state = await withRegistryFailures(messages, argv.json, () => handle.state());
    if (!state) return;
    const live = argv.ref === undefined ? registry.liveRef(state, argv.project) : undefined;
    const ref = argv.ref ?? live?.ref ?? "@production";
    if (live !== undefined && live.unset.length > 0) {
      messages.printRegistryNote(`${argv.project}@${live.unset.join(` and ${argv.project}@`)} point${live.unset.length > 1 ? "" : "s"} at no release yet: showing ${argv.project}${live.ref}`);
    }
    // Approvals are shown with whether they count: their signatures are checked against today's allowed signers.
    const resolved = registry.resolveRef(state, argv.project, ref);
    const policy = await registry.loadProjectPolicy(opened.value.root, argv.project);
    const checks = resolved.ok ? await handle.checkApprovals(policy.ok ? policy.value : undefined, state, argv.project, resolved.value) : [];
    const traced = registry.traceLineage(state, argv.project, ref, checks);
    if (!traced.ok) {
      messages.printRegistryError(registry.describeRefusal(traced.error), argv.json, traced.error);
      exitWith(registry.isUsageRefusal(traced.error) ? "usage" : "failed");
      return;
    }
    messages.printRegistryResult(argv.json, traced.value, render.renderLineage(traced.value));
  },
};

export default command;
