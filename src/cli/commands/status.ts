/**
 * `sluice status [targets..]`: fresh / stale / missing per stage, with the
 * reasons; `--locked` exits 1 when the workspace differs from sluice.lock.
 */
import type { Argv, CommandModule } from "yargs";
import { openCache, readLockFile } from "../../cache/index.js";
import type { StageResult } from "../../exec/index.js";
import { selectTargets } from "../../graph/index.js";
import { table, writeOut } from "../../report/index.js";
import { loadContext, reportDiagnostics, type GlobalOptions } from "../context.js";
import { dryRun } from "../dry-run.js";

interface StatusArgs extends GlobalOptions {
  readonly targets: readonly string[];
  readonly locked: boolean;
}

/** How `status` names the dry-run outcomes. */
function freshness(result: StageResult): "fresh" | "stale" | "missing" | "blocked" {
  switch (result.status) {
    case "cached":
    case "held":
    case "ran":
      return "fresh";
    case "restored":
      return "missing";
    case "would-run":
      return "stale";
    case "failed":
    case "skipped":
      return "blocked";
  }
}

const command: CommandModule<GlobalOptions, StatusArgs> = {
  command: "status [targets..]",
  describe: "Show which stages are fresh, stale (would run) or missing outputs, and why",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("targets", { type: "string", array: true, default: [] as string[], describe: "as for run" })
      .option("locked", { type: "boolean", default: false, describe: "exit 1 when any output differs from sluice.lock" }) as unknown as Argv<StatusArgs>,
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const selected = selectTargets(context.dag, argv.targets);
    if (!selected.ok) return void reportDiagnostics(selected.error);
    const cache = await openCache(context.root);
    const build = await dryRun(cache, context, selected.value);
    const drift: string[] = [];
    if (argv.locked) {
      const lock = readLockFile(cache.layout.lockFile);
      for (const id of selected.value) {
        const locked = lock.stages[id];
        if (!locked) {
          drift.push(`${id}: not in sluice.lock`);
          continue;
        }
        for (const out of locked.outs) {
          const digest = await cache.statCache.digest(out.path);
          if (digest !== out.digest) drift.push(`${id}: ${out.path} is ${digest ?? "missing"}, sluice.lock says ${out.digest}`);
        }
      }
    }
    const rows = build.results.map((r) => ({ id: r.id, state: freshness(r), key: r.key ?? null, why: r.why }));
    if (argv.json) writeOut(JSON.stringify({ ok: drift.length === 0, stages: rows, ...(argv.locked ? { lockDrift: drift } : {}) }, null, 2));
    else {
      writeOut(table(rows.map((r) => [r.state, r.id, r.why.join("; ")])));
      for (const line of drift) writeOut(`lock drift: ${line}`);
    }
    if (drift.length > 0) process.exitCode = 1;
  },
};

export default command;
