/**
 * `sluice status [targets..]`: per stage, fresh, stale (and why), missing
 * (an output is absent) or modified (an output's bytes differ from its
 * record); `--locked` compares keys and present outputs with sluice.lock
 * and exits 1 on any drift.
 */
import type { Argv, CommandModule } from "yargs";
import { openCache, readLockFile } from "../../cache/index.js";
import type { StageResult } from "../../exec/index.js";
import { selectTargets } from "../../graph/index.js";
import { table, writeOut } from "../../report/index.js";
import { loadContext, reportDiagnostics, type GlobalOptions } from "../context.js";
import { dryRun } from "../dry-run.js";
import { checkLock, lockedOutputs } from "../lock-check.js";
import { exitWith } from "../exit-code.js";

interface StatusArgs extends GlobalOptions {
  readonly targets: readonly string[];
  readonly locked: boolean;
}

/** How `status` names the dry-run outcomes. */
function freshness(result: StageResult): "fresh" | "stale" | "missing" | "modified" | "blocked" {
  switch (result.status) {
    case "cached":
    case "held":
    case "ran":
      return "fresh";
    case "restored":
      // A file whose bytes differ is not missing: it is a local edit, or another run's output.
      return result.differing?.some((d) => d.state === "modified") ? "modified" : "missing";
    case "would-run":
      return "stale";
    case "failed":
    case "interrupted":
    case "skipped":
      return "blocked";
  }
}

/** The words after the state: why a stage is stale, which outputs are missing or modified. */
function detail(result: StageResult): string {
  if (result.failure) return result.failure.message;
  if (result.differing && result.differing.length > 0) {
    const headline = freshness(result);
    return result.differing.map((d) => (d.state === headline ? d.path : `${d.path} ${d.state}`)).join(", ");
  }
  return result.why.join("; ");
}

const command: CommandModule<GlobalOptions, StatusArgs> = {
  command: "status [targets..]",
  describe: "Show which stages are fresh, stale (would run), or have missing or modified outputs, and why",
  builder: (yargs: Argv<GlobalOptions>) =>
    yargs
      .positional("targets", { type: "string", array: true, default: [] as string[], describe: "as for run" })
      .option("locked", {
        type: "boolean",
        default: false,
        describe: "exit 1 when a stage's key or a present output differs from sluice.lock (absent outputs are listed, not drift)",
      }) as unknown as Argv<StatusArgs>,
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const selected = selectTargets(context.dag, argv.targets);
    if (!selected.ok) return void reportDiagnostics(selected.error);
    const cache = await openCache(context.root);
    const lock = argv.locked ? readLockFile(cache.layout.lockFile) : undefined;
    // With --locked, a stage whose upstream would run still gets its key, from the lock's digests of that upstream's outputs.
    const build = await dryRun(cache, context, selected.value, lock ? lockedOutputs(context.workspace, lock) : undefined);
    const checks = lock ? await checkLock(cache, lock, build) : [];
    const drift = checks.flatMap((c) => c.drift.map((reason) => `${c.id}: ${reason}`));
    const rows = build.results.map((r) => ({
      id: r.id,
      state: freshness(r),
      key: r.key ?? null,
      why: r.why,
      ...(r.differing && r.differing.length > 0 ? { outputs: r.differing } : {}),
    }));
    if (argv.json) {
      const locked = lock ? { lockDrift: drift, locked: checks } : {};
      writeOut(JSON.stringify({ ok: drift.length === 0, stages: rows, ...locked }, null, 2));
    } else {
      writeOut(table(build.results.map((r) => {
        const state = freshness(r);
        const words = detail(r);
        return [r.id, state === "fresh" || words === "" ? state : `${state} (${words})`];
      })));
      if (lock) {
        for (const line of drift) writeOut(`lock drift: ${line}`);
        const missing = checks.flatMap((c) => c.missing);
        if (missing.length > 0) writeOut(`${missing.length} locked output${missing.length > 1 ? "s" : ""} missing from the workspace (sluice run restores or rebuilds ${missing.length > 1 ? "them" : "it"}): ${missing.join(", ")}`);
        writeOut(drift.length === 0 ? "sluice.lock matches the declared pipeline" : `sluice.lock does not match: ${drift.length} difference${drift.length > 1 ? "s" : ""}`);
      }
    }
    if (drift.length > 0) exitWith("failed");
  },
};

export default command;
