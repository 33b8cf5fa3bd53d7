/**
 * `sluice lineage <project> [@alias|release]`: the live release traced back
 * to data, features, model, policy, gate evidence, evaluation, approvals
 * and the events that moved it.
 */
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { registryUsageError, withRegistryFailures } from "../registry-usage.js";
import { exitWith } from "../exit-code.js";

interface LineageArgs extends GlobalOptions {
  readonly project: string;
  readonly ref: string;
}

const command: CommandModule<GlobalOptions, LineageArgs> = {
  command: "lineage <project> [ref]",
  describe: "Trace a live release back to its data, model, policy and evidence",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("ref", { type: "string", default: "@production", describe: "@alias or a release name" }) as unknown as Argv<LineageArgs>,
  handler: async (argv) => {
    const [registry, messages, render] = await Promise.all([
      import("../../registry/index.js"),
      import("../../report/registry-messages.js"),
      import("../../report/registry-lineage.js"),
    ]);
    const opened = await registry.openWorkspaceRegistry(argv.cwd ?? process.cwd());
    if (!opened.ok) return registryUsageError(messages, opened.error, argv.json);
    const handle = opened.value.registry;
    const state = await withRegistryFailures(messages, argv.json, () => handle.state());
    if (!state) return;
    // Approvals are shown with whether they count: their signatures are checked against today's allowed signers.
    const resolved = registry.resolveRef(state, argv.project, argv.ref);
    const policy = await registry.loadProjectPolicy(opened.value.root, argv.project);
    const checks = resolved.ok ? await handle.checkApprovals(policy.ok ? policy.value : undefined, state, argv.project, resolved.value) : [];
    const traced = registry.traceLineage(state, argv.project, argv.ref, checks);
    if (!traced.ok) {
      messages.printRegistryError(registry.describeRefusal(traced.error), argv.json, traced.error);
      exitWith(registry.isUsageRefusal(traced.error) ? "usage" : "failed");
      return;
    }
    messages.printRegistryResult(argv.json, traced.value, render.renderLineage(traced.value));
  },
};

export default command;
