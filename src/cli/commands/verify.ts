/**
 * `sluice verify [--rerun <targets..>]`: checks the cache (objects hash to
 * their names, records name existing objects) and the registry (hash chain,
 * alias files, pinned objects); with `--rerun`, re-executes cached stages
 * into scratch space and names every stage whose outputs differ from its
 * record. Exit 1 on any problem.
 */
import type { Argv, CommandModule } from "yargs";
import { openCache, verifyCache } from "../../cache/index.js";
import type { StageResult } from "../../exec/index.js";
import { rerunStages } from "../../ops/index.js";
import { findWorkspaceRoot } from "../../pipeline/index.js";
import { renderCacheVerdict, renderReruns, writeOut } from "../../report/index.js";
import { loadContext, usageError, type GlobalOptions } from "../context.js";
import { exitWith, exitWithFailure } from "../exit-code.js";
import { verifyRegistryLog } from "../registry-verify.js";

interface VerifyArgs extends GlobalOptions {
  readonly rerun?: readonly string[];
  readonly jobs: number;
}

const command: CommandModule<GlobalOptions, VerifyArgs> = {
  command: "verify",
  describe: "Check the cache and the registry; --rerun <stages|all> re-executes stages to catch non-determinism",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .option("rerun", { type: "string", array: true, describe: "re-execute these cached stages (all, a project, ids, globs) and compare outputs" })
      .option("jobs", { alias: "j", type: "number", default: 2 }) as unknown as Argv<VerifyArgs>,
  handler: async (argv) => {
    const root = findWorkspaceRoot(argv.cwd ?? process.cwd());
    if (!root) return void usageError("no sluice workspace here (a folder with pipeline.ts and package.json)");
    const cache = await openCache(root);
    const cacheVerdict = await verifyCache(cache);
    const registry = await verifyRegistryLog(root);
    if (registry.unavailable !== undefined) return void usageError(registry.unavailable);
    let reruns: StageResult[] = [];
    if (argv.rerun) {
      const context = await loadContext(argv);
      if (!context) return;
      const rerun = await rerunStages(context, cache, argv.rerun, argv.jobs);
      if (!rerun.ok) return void exitWithFailure(rerun.error);
      reruns = rerun.value;
    }
    const differing = reruns.filter((r) => r.verification?.outcome === "differs" || r.status === "failed");
    const ok = cacheVerdict.ok && registry.ok && differing.length === 0;
    if (argv.json) {
      writeOut(JSON.stringify({
        ok,
        cache: cacheVerdict,
        registry: registry.json,
        ...(argv.rerun ? { reruns: reruns.map((r) => ({ id: r.id, status: r.status, verification: r.verification ?? null })) } : {}),
      }, null, 2));
    } else {
      writeOut(renderCacheVerdict(cacheVerdict));
      writeOut(registry.text);
      if (argv.rerun) writeOut(renderReruns(reruns) || "no stage to rerun");
    }
    if (!ok) exitWith("failed");
  },
};

export default command;
