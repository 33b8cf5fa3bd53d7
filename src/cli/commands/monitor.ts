/**
 * `sluice monitor <project> --windows <file>`: judge live windows against the
 * policies the live releases shipped with, and act through the registry
 * (pause, promote, abort, rollback, warn, retrain). Replaying a file records
 * nothing new. A rejected window file records nothing at all.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../context.js";
import { withRegistryFailures } from "../registry-usage.js";
import type { RetrainDecision } from "../../ops/retrain.js";
import type { SnapshotMove } from "../../ops/snapshot-param.js";

interface MonitorArgs extends GlobalOptions {
  readonly project: string;
  readonly windows: string;
  readonly dryRun: boolean;
  readonly retrain: boolean;
}

/** One decision as printed and returned. */
interface DecisionReport {
  readonly decision: string;
  readonly release: string;
  readonly alias: string;
  readonly trigger: string;
  readonly key: string;
  readonly reason: string;
  readonly rule: string;
  /** False when the same decision was recorded by an earlier pass (or with --dry-run). */
  readonly recorded: boolean;
  readonly moves: readonly { readonly alias: string; readonly from: string | null; readonly to: string | null }[];
  /** Why it was not applied, when it was not. */
  readonly skipped?: string;
  /** When it was already recorded: the registry event holding it (seq is the log's line number). */
  readonly recordedBy?: { readonly seq: number; readonly actor: string; readonly at: string };
  readonly evidence: unknown;
}

const command: CommandModule<GlobalOptions, MonitorArgs> = {
  command: "monitor <project>",
  describe: "Judge live windows: pause, promote or abort the canary; roll production back; warn or retrain on drift",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("project", { type: "string", demandOption: true })
      .option("windows", { type: "string", demandOption: true, describe: "live windows, one JSON object per line (see projects/*/live/)" })
      .option("dry-run", { alias: "n", type: "boolean", default: false, describe: "show the decisions; record and move nothing" })
      .option("retrain", { type: "boolean", default: true, describe: "start `sluice retrain --trigger drift` when drift reaches the act threshold (--no-retrain: only record it)" })
      .example("$0 monitor eta --windows projects/eta/live/canary-promote.jsonl", "promote the canary once its delayed quality passed")
      .example("$0 monitor eta --windows live.jsonl --dry-run --json", "what would be decided, as JSON") as unknown as Argv<MonitorArgs>,
  handler: async (argv) => {
    const [registry, monitor, messages, describe, inputs, { writeErr }, retraining] = await Promise.all([
      import("../../registry/index.js"),
      import("../../monitor/index.js"),
      import("../../report/registry-messages.js"),
      import("../../report/monitor-messages.js"),
      import("../../ops/monitor-inputs.js"),
      import("../../report/terminal.js"),
      import("../../ops/retrain.js"),
    ]);
    const usage = (message: string): void => {
      messages.printRegistryError(message, argv.json);
      process.exitCode = 2;
    };
    const cwd = argv.cwd ?? process.cwd();
    const file = resolve(cwd, argv.windows);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      return usage(`cannot read the window file ${argv.windows}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const parsed = monitor.parseWindows(text, argv.windows);
    if (!parsed.ok) {
      const shown = parsed.error.slice(0, 20).map((p) => p.message);
      const more = parsed.error.length > shown.length ? [`… and ${parsed.error.length - shown.length} more`] : [];
      if (!argv.json) for (const line of [...shown.slice(1), ...more]) writeErr(line);
      return usage(`${shown[0]}${parsed.error.length > 1 ? ` (${parsed.error.length} bad lines; nothing recorded)` : " (nothing recorded)"}`);
    }

    const opened = await registry.openWorkspaceRegistry(cwd);
    if (!opened.ok) return usage(opened.error);
    const { root, registry: handle } = opened.value;
    const state = await withRegistryFailures(messages, argv.json, () => handle.state());
    if (!state) return;
    if (state.releases().length > 0 && !state.releases().some((r) => r.project === argv.project)) {
      const known = [...new Set(state.releases().map((r) => r.project))].sort();
      return usage(`unknown project ${argv.project} (the registry knows ${known.join(", ")})`);
    }
    const view = await inputs.monitorView(root, state, argv.project);
    if (!view.ok) return usage(view.error);
    for (const warning of view.value.warnings) writeErr(`warning: ${warning}`);

    const outcome = monitor.evaluateMonitor({ ...view.value.input, windows: parsed.value });
    const reports: DecisionReport[] = [];
    let productionMoved = false;
    let failed = false;
    for (const decision of outcome.decisions) {
      const reason = describe.describeMonitorDecision(decision);
      const base = {
        decision: decision.kind,
        release: decision.release,
        alias: decision.alias,
        trigger: decision.trigger,
        key: monitor.decisionKey(decision),
        reason,
        rule: decision.evidence.rule,
        evidence: decision.evidence,
      };
      // A promote earlier in this pass replaced the release these production windows judged.
      if (decision.alias === "production" && productionMoved && decision.kind === "rollback") {
        reports.push({ ...base, recorded: false, moves: [], skipped: "production moved earlier in this pass" });
        continue;
      }
      if (argv.dryRun) {
        const earlier = registry.recordingEvent(state, argv.project, base.key);
        reports.push({ ...base, recorded: false, moves: [], ...(earlier ? { skipped: alreadyRecorded(earlier), recordedBy: earlier } : {}) });
        continue;
      }
      const applied = await withRegistryFailures(messages, argv.json, () =>
        handle.apply((s) => registry.planMonitorDecision(s, { decision, reason, judged: view.value.judged })),
      );
      if (!applied) return; // the registry refused to be written (damaged, busy): said, exit code set
      if (!applied.ok) {
        failed = true;
        reports.push({ ...base, recorded: false, moves: [], skipped: registry.describeRefusal(applied.error) });
        continue;
      }
      if (applied.value.moves.some((m) => m.alias === "production")) productionMoved = true;
      // Another pass (perhaps running at the same time) recorded it first: say which event holds it, not the decision as if ours.
      const earlier = applied.value.recordedBy;
      reports.push({
        ...base,
        recorded: applied.value.recorded,
        moves: applied.value.moves,
        ...(applied.value.recorded ? {} : { skipped: earlier ? alreadyRecorded(earlier) : "already recorded", ...(earlier ? { recordedBy: earlier } : {}) }),
      });
    }

    const retrainDue = reports.find((r) => r.decision === "retrain" && r.recorded);
    let retrain: RetrainReport | undefined;
    if (retrainDue && argv.retrain) {
      const started = await retraining.retrainProject(root, argv.project, { kind: "drift", cause: retrainDue.reason });
      if (!started.ok) {
        failed = true;
        writeErr(`error: the drift retrain did not start: ${started.error.message}`);
        retrain = { ok: false, error: started.error.message };
      } else {
        retrain = { ok: started.value.exitCode === 0, snapshot: started.value.snapshot, decision: started.value.decision ?? null };
        if (started.value.exitCode !== 0) failed = true;
      }
    }

    const read = parsed.value.length;
    const document = {
      ok: !failed,
      project: argv.project,
      dryRun: argv.dryRun,
      windows: { file: argv.windows, read, new: outcome.seen.length, ignored: outcome.ignored },
      decisions: reports,
      driftSkipped: outcome.skipped,
      warnings: view.value.warnings,
      ...(retrain !== undefined ? { retrain } : {}),
    };
    const summary = humanSummary(argv.project, reports, read, outcome.seen.length);
    // A retrain that did not start was already reported as an error.
    const retrained = retrain && "snapshot" in retrain ? [`  ${retraining.describeRetrain(retrain.snapshot, retrain.decision)}`] : [];
    messages.printRegistryResult(argv.json, document, [summary, ...retrained].join("\n"));
    if (failed) process.exitCode = 1;
  },
};

/** What a drift-triggered retrain did. */
type RetrainReport =
  | { readonly ok: false; readonly error: string }
  | { readonly ok: boolean; readonly snapshot: SnapshotMove; readonly decision: RetrainDecision | null };

/** The skip reason of a decision another pass recorded. */
function alreadyRecorded(event: { readonly seq: number; readonly actor: string; readonly at: string }): string {
  return `already recorded as registry event #${event.seq} (by ${event.actor} at ${event.at})`;
}

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
