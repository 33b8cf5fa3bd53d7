/**
 * One monitoring pass (`sluice monitor`): judge live windows against the
 * policies the live releases shipped with, and act through the registry.
 * Each decision is its own registry transaction, so a pass that stops
 * half-way has recorded whole decisions only; replaying a window file
 * records nothing new, and a rejected window file records nothing at all.
 *
 *   windows parsed -> registry state -> monitor view -> evaluate
 *     -> per decision: skip? (dry run, production moved) : apply -> retrain on drift?
 */
import { readFileSync } from "node:fs";
import * as monitor from "../monitor/index.js";
import * as registry from "../registry/index.js";
import { describeMonitorDecision } from "../dashboard/index.js";
import { ok } from "../util/result.js";
import type { OpFailure, OpResult } from "./failure.js";
import { monitorView, type MonitorView } from "./monitor-inputs.js";
import { retrainProject, type RetrainDecision } from "./retrain.js";
import type { SnapshotMove } from "./snapshot-param.js";

export interface MonitorRequest {
  /** The folder the command started in. */
  readonly cwd: string;
  readonly project: string;
  /** The window file as given (named in messages) and its resolved path. */
  readonly windows: { readonly given: string; readonly path: string };
  readonly dryRun: boolean;
  /** Start a retrain when drift reaches the act threshold (`--no-retrain`: only record it). */
  readonly retrain: boolean;
}

/** Lines a pass has to say while it goes (warnings, a retrain that did not start). */
export interface MonitorNotes {
  warning(message: string): void;
  error(message: string): void;
}

/** One decision as printed and returned. */
export interface DecisionReport {
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

/** What a drift-triggered retrain did. */
export type RetrainReport =
  | { readonly ok: false; readonly error: string }
  | { readonly ok: boolean; readonly snapshot: SnapshotMove; readonly decision: RetrainDecision | null };

/** The `sluice monitor --json` document. */
export interface MonitorDocument {
  readonly ok: boolean;
  readonly project: string;
  readonly dryRun: boolean;
  readonly windows: { readonly file: string; readonly read: number; readonly new: number; readonly ignored: unknown };
  readonly decisions: readonly DecisionReport[];
  readonly driftSkipped: unknown;
  readonly warnings: readonly string[];
  readonly retrain?: RetrainReport;
}

/** A pass that ran: its document, and `failed` when a decision was refused or the retrain failed. */
export interface MonitorPass {
  readonly document: MonitorDocument;
  readonly failure: OpFailure | undefined;
}

/** A usage failure before anything was judged; `details` are the further bad window lines. */
export type MonitorRefusal = OpFailure & { readonly details?: readonly string[] };

export async function monitorPass(request: MonitorRequest, notes: MonitorNotes): Promise<OpResult<MonitorPass> | { ok: false; error: MonitorRefusal }> {
  const windows = readWindows(request.windows);
  if (!windows.ok) return windows;
  const opened = await registry.openWorkspaceRegistry(request.cwd);
  if (!opened.ok) return usage(opened.error);
  const { root, registry: handle } = opened.value;
  const state = await guardStorage(() => handle.state());
  if (!state.ok) return state;
  const releases = state.value.releases();
  if (releases.length > 0 && !releases.some((r) => r.project === request.project)) {
    const known = [...new Set(releases.map((r) => r.project))].sort();
    return usage(`unknown project ${request.project} (the registry knows ${known.join(", ")})`);
  }
  const view = await monitorView(root, state.value, request.project);
  if (!view.ok) return usage(view.error);
  for (const warning of view.value.warnings) notes.warning(warning);
  const outcome = monitor.evaluateMonitor({ ...view.value.input, windows: windows.value });
  const decided = await decideAll(request, { handle, state: state.value, view: view.value }, outcome.decisions);
  if (!decided.ok) return decided;
  const retrain = await retrainOnDrift(root, request, decided.value.reports, notes);
  const failed = decided.value.failed || (retrain !== undefined && !retrain.ok);
  const document: MonitorDocument = {
    ok: !failed,
    project: request.project,
    dryRun: request.dryRun,
    windows: { file: request.windows.given, read: windows.value.length, new: outcome.seen.length, ignored: outcome.ignored },
    decisions: decided.value.reports,
    driftSkipped: outcome.skipped,
    warnings: view.value.warnings,
    ...(retrain !== undefined ? { retrain } : {}),
  };
  return ok({ document, failure: failed ? { kind: "failed" } : undefined });
}

function usage(message: string): { ok: false; error: MonitorRefusal } {
  return { ok: false, error: { kind: "usage", message } };
}

/** The windows of the file, or every bad line (the first 20 shown): a file with one bad line records nothing. */
function readWindows(windows: MonitorRequest["windows"]): OpResult<monitor.LiveWindow[]> | { ok: false; error: MonitorRefusal } {
  let text: string;
  try {
    text = readFileSync(windows.path, "utf8");
  } catch (error) {
    return usage(`cannot read the window file ${windows.given}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = monitor.parseWindows(text, windows.given);
  if (parsed.ok) return ok([...parsed.value]);
  const shown = parsed.error.slice(0, 20).map((p) => p.message);
  const more = parsed.error.length > shown.length ? [`… and ${parsed.error.length - shown.length} more`] : [];
  const message = `${shown[0]}${parsed.error.length > 1 ? ` (${parsed.error.length} bad lines; nothing recorded)` : " (nothing recorded)"}`;
  return { ok: false, error: { kind: "usage", message, details: [...shown.slice(1), ...more] } };
}

/** Runs a registry operation; a storage failure (damaged, busy, unreachable) becomes a typed failure, anything else is a bug. */
async function guardStorage<T>(operation: () => Promise<T>): Promise<OpResult<T>> {
  try {
    return ok(await operation());
  } catch (error) {
    const code = registry.storageFailureExitCode(error);
    if (code === undefined) throw error;
    return { ok: false, error: { kind: code === 2 ? "usage" : "failed", message: (error as Error).message } };
  }
}

interface Judged {
  readonly handle: { apply: registry.Registry["apply"] };
  readonly state: registry.RegistryState;
  readonly view: MonitorView;
}

/** Applies each decision in its own transaction; `failed` when the registry refused one. */
async function decideAll(
  request: MonitorRequest,
  judged: Judged,
  decisions: readonly monitor.MonitorDecision[],
): Promise<OpResult<{ reports: DecisionReport[]; failed: boolean }>> {
  const reports: DecisionReport[] = [];
  let productionMoved = false;
  let failed = false;
  for (const decision of decisions) {
    const base = reportBase(decision);
    // A promote earlier in this pass replaced the release these production windows judged.
    if (decision.alias === "production" && productionMoved && decision.kind === "rollback") {
      reports.push({ ...base, recorded: false, moves: [], skipped: "production moved earlier in this pass" });
      continue;
    }
    if (request.dryRun) {
      const earlier = registry.recordingEvent(judged.state, request.project, base.key);
      reports.push({ ...base, recorded: false, moves: [], ...(earlier ? { skipped: alreadyRecorded(earlier), recordedBy: earlier } : {}) });
      continue;
    }
    const applied = await guardStorage(() =>
      judged.handle.apply((s) => registry.planMonitorDecision(s, { decision, reason: base.reason, judged: judged.view.judged })),
    );
    if (!applied.ok) return applied; // the registry refused to be written (damaged, busy)
    if (!applied.value.ok) {
      failed = true;
      reports.push({ ...base, recorded: false, moves: [], skipped: registry.describeRefusal(applied.value.error) });
      continue;
    }
    const { moves, recorded, recordedBy } = applied.value.value;
    if (moves.some((m) => m.alias === "production")) productionMoved = true;
    // Another pass (perhaps running at the same time) recorded it first: say which event holds it, not the decision as if ours.
    const skipped = recorded ? {} : { skipped: recordedBy ? alreadyRecorded(recordedBy) : "already recorded", ...(recordedBy ? { recordedBy } : {}) };
    reports.push({ ...base, recorded, moves, ...skipped });
  }
  return ok({ reports, failed });
}

function reportBase(decision: monitor.MonitorDecision) {
  return {
    decision: decision.kind,
    release: decision.release,
    alias: decision.alias,
    trigger: decision.trigger,
    key: monitor.decisionKey(decision),
    reason: describeMonitorDecision(decision),
    rule: decision.evidence.rule,
    evidence: decision.evidence as unknown,
  };
}

/** A drift `retrain` decision this pass recorded starts a retrain (unless `--no-retrain`). */
async function retrainOnDrift(root: string, request: MonitorRequest, reports: readonly DecisionReport[], notes: MonitorNotes): Promise<RetrainReport | undefined> {
  const due = reports.find((r) => r.decision === "retrain" && r.recorded);
  if (!due || !request.retrain) return undefined;
  const started = await retrainProject(root, request.project, { kind: "drift", cause: due.reason });
  if (!started.ok) {
    notes.error(`the drift retrain did not start: ${started.error.message}`);
    return { ok: false, error: started.error.message };
  }
  return { ok: started.value.exitCode === 0, snapshot: started.value.snapshot, decision: started.value.decision ?? null };
}

/** The skip reason of a decision another pass recorded. */
function alreadyRecorded(event: { readonly seq: number; readonly actor: string; readonly at: string }): string {
  return `already recorded as registry event #${event.seq} (by ${event.actor} at ${event.at})`;
}
