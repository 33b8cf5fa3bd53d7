/**
 * `sluice monitor <project> --windows <file>`: judge live windows against the
 * policies the live releases shipped with, and act through the registry
 * (pause, promote, abort, rollback, warn, retrain). Replaying a file records
 * nothing new. A rejected window file records nothing at all.
 */
import { resolve } from "node:path";
import type { DecisionReport } from "../../ops/index.js";
import { defineCommand } from "../command-args.js";
import { exitWith } from "../exit-code.js";

const command = defineCommand({
  command: "monitor <project>",
  describe: "Judge live windows: pause, promote or abort the canary; roll production back; warn or retrain on drift",
  builder: (y) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .option("windows", { type: "string", demandOption: true, describe: "live windows, one JSON object per line (see projects/*/live/)" })
      .option("dry-run", { alias: "n", type: "boolean", default: false, describe: "show the decisions; record and move nothing" })
      .option("retrain", { type: "boolean", default: true, describe: "start `sluice retrain --trigger drift` when drift reaches the act threshold (--no-retrain: only record it)" })
      .example("$0 monitor eta --windows projects/eta/live/canary-promote.jsonl", "promote the canary once its delayed quality passed")
      .example("$0 monitor eta --windows projects/eta/live/canary-pause.jsonl --dry-run --json", "what would be decided, as JSON"),
  handler: async (argv) => {
    const [ops, messages, { writeErr }] = await Promise.all([
      import("../../ops/index.js"),
      import("../../report/index.js"),
      import("../../report/index.js"),
    ]);
    const cwd = argv.cwd ?? process.cwd();
    const request = { cwd, project: argv.project, windows: { given: argv.windows, path: resolve(cwd, argv.windows) }, dryRun: argv.dryRun, retrain: argv.retrain };
    const pass = await ops.monitorPass(request, {
      warning: (message) => writeErr(`warning: ${message}`),
      error: (message) => writeErr(`error: ${message}`),
    });
    if (!pass.ok) {
      const details = "details" in pass.error ? (pass.error.details ?? []) : [];
      if (!argv.json) for (const line of details) writeErr(line);
      messages.printRegistryError(pass.error.message ?? "", argv.json);
      return exitWith(pass.error.kind);
    }
    const { document, failure } = pass.value;
    const summary = humanSummary(argv.project, document.decisions, document.windows.read, document.windows.new);
    // A retrain that did not start was already reported as an error.
    const retrain = document.retrain;
    const retrained = retrain && "snapshot" in retrain ? [`  ${ops.describeRetrain(retrain.snapshot, retrain.decision)}`] : [];
    messages.printRegistryResult(argv.json, document, [summary, ...retrained].join("\n"));
    exitWith(failure?.kind ?? "ok");
  },
});

function humanSummary(project: string, reports: readonly DecisionReport[], read: number, fresh: number): string {
  const header = `${project}: ${read} windows read, ${fresh} not judged before`;
  if (reports.length === 0) return `${header}; nothing new to decide`;
  const lines = reports.map((r) => {
    // A decision this pass did not record leads with that, so nobody reads it as an action taken now.
    if (r.recordedBy !== undefined) return `  ${r.skipped}, not by this pass: ${r.reason}`;
    const status = r.skipped !== undefined ? ` (not recorded: ${r.skipped})` : r.recorded ? "" : " (dry run)";
    const moves = r.moves.map((m) => `; ${project}@${m.alias}: ${m.from ?? "(unset)"} -> ${m.to ?? "(cleared)"}`).join("");
    return `  ${r.reason}${moves}${status}`;
  });
  return [header, ...lines].join("\n");
}

export default command;
