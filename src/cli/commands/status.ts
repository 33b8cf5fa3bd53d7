/**
 * `sluice status [targets..]`: per stage, fresh, stale (and why), missing
 * (an output is absent) or modified (an output's bytes differ from its
 * record); `--locked` compares keys and present outputs with sluice.lock
 * and exits 1 on any drift.
 */
import { workspaceStatus } from "../../ops/index.js";
import { renderLockSummary, renderStatusTable, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext } from "../context.js";
import { exitWith, exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "status [targets..]",
  describe: "Show which stages are fresh, stale (would run), or have missing or modified outputs, and why",
  builder: (yargs) =>
    yargs
      .positional("targets", { type: "string", array: true, default: [] as string[], describe: "as for run" })
      .option("locked", {
        type: "boolean",
        default: false,
        describe: "exit 1 when a stage's key or a present output differs from sluice.lock (absent outputs are listed, not drift)",
      }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const status = await workspaceStatus(context, { targets: argv.targets, locked: argv.locked });
    if (!status.ok) return exitWithFailure(status.error);
    const { results, rows, checks, drift } = status.value;
    if (argv.json) {
      writeOut(JSON.stringify({ ok: drift.length === 0, stages: rows, ...(checks ? { lockDrift: drift, locked: checks } : {}) }, null, 2));
    } else {
      writeOut(renderStatusTable(results));
      if (checks) writeOut(renderLockSummary(drift, checks.flatMap((c) => c.missing)));
    }
    exitWith(drift.length > 0 ? "failed" : "ok");

  },
});

export default command;
