/**
 * `sluice verify [--rerun <targets..>]`: checks the cache (objects hash to
 * their names, records name existing objects) and the registry (hash chain,
 * alias files, pinned objects); with `--rerun`, re-executes cached stages
 * into scratch space and names every stage whose outputs differ from its
 * record. Exit 1 on any problem.
 */
import type { Argv, CommandModule } from "yargs";
import { openCache, saveSession, verifyCache } from "../../cache/index.js";
import { runBuild, type StageResult } from "../../exec/index.js";
import { matchTargets, selectTargets } from "../../graph/index.js";
import { findWorkspaceRoot } from "../../pipeline/index.js";
import { renderCacheVerdict, renderReruns, writeOut } from "../../report/index.js";
import { acquireLock } from "../../util/file-lock.js";
import { loadContext, reportDiagnostics, usageError, type GlobalOptions } from "../context.js";
import { verifyRegistryLog } from "../registry-verify.js";
import { exitWith } from "../exit-code.js";

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
      const named = matchTargets(context.dag, argv.rerun.length > 0 ? argv.rerun : ["all"]);
      const selected = selectTargets(context.dag, argv.rerun.length > 0 ? argv.rerun : ["all"]);
      if (!named.ok) return void reportDiagnostics(named.error);
      if (!selected.ok) return void reportDiagnostics(selected.error);
      const lock = await acquireLock(cache.layout.lock, { wait: true });
      if (!lock.ok) return void usageError("the workspace is locked by another process");
      try {
        const build = await runBuild(cache, {
          workspace: context.workspace,
          dag: context.dag,
          selected: selected.value,
          jobs: argv.jobs,
          keepGoing: true,
          force: new Set(),
          rerun: named.value,
          resources: {},
          params: (stage) => stage.params,
          observer: {},
          signal: new AbortController().signal,
          invocation: `verify-${process.pid}`,
        });
        await saveSession(cache);
        reruns = build.results.filter((r) => named.value.has(r.id));
      } finally {
        await lock.lock.release();
      }
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
