/**
 * `sluice lineage <project> [@alias|release]`: the live release (production,
 * else the canary while nothing reached production) traced back
 * to data, features, model, policy, gate evidence, evaluation, approvals
 * and the events that moved it.
 */
import { traceRelease } from "../../ops/index.js";
import { printRegistryNote } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { printOutcome } from "../registry-output.js";

const command = defineCommand({
  command: "lineage <project> [ref]",
  describe: "Trace a live release back to its data, model, policy and evidence",
  builder: (y) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .positional("ref", { type: "string", describe: "@alias or a release name (default: @production, else @canary while only the canary is live)" })
      .example("$0 lineage eta", "the live release of eta: production's, or the canary's before anything reached production")
      .example("$0 lineage eta eta_v1", "one release"),
  handler: async (argv) => {
    const { renderLineage } = await import("../../dashboard/index.js");
    const traced = await traceRelease(argv.cwd ?? process.cwd(), argv.project, argv.ref);
    if (traced.ok && traced.value.unset.length > 0) {
      const { unset, lineage } = traced.value;
      printRegistryNote(`${argv.project}@${unset.join(` and ${argv.project}@`)} point${unset.length > 1 ? "" : "s"} at no release yet: showing ${argv.project}${lineage.ref}`);
    }
    printOutcome(argv.json, traced.ok ? { ok: true, value: traced.value.lineage } : traced, renderLineage);
  },
});

export default command;
