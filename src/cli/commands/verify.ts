/**
 * `sluice verify [--rerun <targets..>]`: checks the cache (objects hash to
 * their names, records name existing objects) and the registry (hash chain,
 * alias files, pinned objects); with `--rerun`, re-executes cached stages
 * into scratch space and names every stage whose outputs differ from its
 * record. Exit 1 on any problem.
 */
import { verifyWorkspace } from "../../ops/index.js";
import { renderCacheVerdict, renderReruns, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { exitWith, exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "verify",
  describe: "Check the cache and the registry; --rerun <stages|all> re-executes stages to catch non-determinism",
  builder: (yargs) =>
    yargs
      .option("rerun", { type: "string", array: true, describe: "re-execute these cached stages (all, a project, ids, globs) and compare outputs" })
      .option("jobs", { alias: "j", type: "number", default: 2 }),
  handler: async (argv) => {
    const verified = await verifyWorkspace({ cwd: argv.cwd ?? process.cwd(), loadTimeoutMs: argv.loadTimeoutMs, rerun: argv.rerun, jobs: argv.jobs });
    if (!verified.ok) return exitWithFailure(verified.error);
    const { ok, cache, registry, reruns } = verified.value;
    if (argv.json) {
      const rerunRows = reruns?.map((r) => ({ id: r.id, status: r.status, verification: r.verification ?? null }));
      writeOut(JSON.stringify({ ok, cache, registry, ...(rerunRows ? { reruns: rerunRows } : {}) }, null, 2));
    } else {
      const { renderVerification } = await import("../../dashboard/index.js");
      writeOut(renderCacheVerdict(cache));
      writeOut(renderVerification(registry));
      if (reruns) writeOut(renderReruns(reruns) || "no stage to rerun");
    }
    exitWith(ok ? "ok" : "failed");

  },
});

export default command;
