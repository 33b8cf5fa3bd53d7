/**
 * What one monitor decision appends: the decision record with its evidence
 * and the alias moves it causes, as one unit.
 *
 *   pause, warn, retrain   the decision only; nothing moves
 *   promote                production -> the canary's release, canary cleared
 *   abort                  canary cleared, production untouched
 *   rollback               production -> the last known-good release
 *                          (its whole manifest becomes the alias file)
 *
 * A decision whose key is already in the log appends nothing, so replaying a
 * window file records each decision once; the event that holds it is
 * returned, so a pass that lost a race says who recorded the decision. Moves are compare-and-swap against
 * the aliases the monitor judged: if someone moved them since, the decision
 * is refused rather than applied to a release it was not about.
 */
import type { Decision } from "../../contracts/index.js";
import { decisionKey, type MonitorDecision } from "../monitor/index.js";
import { ok, type Result } from "../util/result.js";
import type { EventDraft } from "./event-draft.js";
import { planMove } from "./plan-move.js";
import { planRollback } from "./plan-rollback.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";

/** The decision to record, the text that explains it, and the aliases it was judged against. */
export interface MonitorDecisionRequest {
  readonly decision: MonitorDecision;
  /** One line for people (`registry history`, the report). */
  readonly reason: string;
  /** What the aliases held when the windows were judged (null: unset). */
  readonly judged: { readonly production: string | null; readonly canary: string | null };
}

/** Whether the decision was new, and the moves it made. */
export interface RecordedMonitorDecision {
  readonly recorded: boolean;
  readonly key: string;
  readonly moves: readonly { readonly alias: string; readonly from: string | null; readonly to: string | null }[];
  /** When not recorded: the event that recorded it first (another pass, perhaps running at the same time). */
  readonly recordedBy?: RecordingEvent;
}

/** The registry event that holds a decision: its seq (the log's line number), who appended it, when. */
export interface RecordingEvent {
  readonly seq: number;
  readonly actor: string;
  readonly at: string;
}

/** The event that recorded the decision with `key`, when one did. */
export function recordingEvent(state: RegistryState, project: string, key: string): RecordingEvent | undefined {
  const event = state.decisions(project).find((d) => d.key === key);
  return event ? { seq: event.seq, actor: event.actor, at: event.at } : undefined;
}

/** Plans the events of one monitor decision against `state`. */
export function planMonitorDecision(
  state: RegistryState,
  request: MonitorDecisionRequest,
): Result<{ readonly drafts: readonly EventDraft[]; readonly value: RecordedMonitorDecision }, RegistryRefusal> {
  const { decision, reason, judged } = request;
  const key = decisionKey(decision);
  const earlier = recordingEvent(state, decision.project, key);
  if (earlier) return ok({ drafts: [], value: { recorded: false, key, moves: [], recordedBy: earlier } });

  const moves = planMoves(state, request);
  if (!moves.ok) return moves;
  const record: EventDraft = {
    type: "decision",
    project: decision.project,
    decision: decision.kind,
    release: decision.release,
    failed: failedRules(decision),
    reason,
    evidence: evidenceOf(decision, judged),
    key,
  };
  const movedDrafts = moves.value.flatMap((m) => m.drafts);
  const moved = moves.value.filter((m) => m.drafts.length > 0).map(({ alias, from, to }) => ({ alias, from, to }));
  return ok({ drafts: [record, ...movedDrafts], value: { recorded: true, key, moves: moved } });
}

interface AliasPlan {
  readonly alias: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly drafts: readonly EventDraft[];
}

function planMoves(state: RegistryState, request: MonitorDecisionRequest): Result<AliasPlan[], RegistryRefusal> {
  const { decision, reason, judged } = request;
  const { project } = decision;
  const move = (alias: "production" | "canary", to: string | null, cause: "promote" | "abort"): Result<AliasPlan, RegistryRefusal> => {
    const planned = planMove(state, { project, alias, to, expected: judged[alias], cause, reason });
    return planned.ok ? ok({ alias, ...planned.value }) : planned;
  };
  switch (decision.kind) {
    case "promote": {
      const production = move("production", decision.release, "promote");
      if (!production.ok) return production;
      const canary = move("canary", null, "promote");
      return canary.ok ? ok([production.value, canary.value]) : canary;
    }
    case "abort": {
      const canary = move("canary", null, "abort");
      return canary.ok ? ok([canary.value]) : canary;
    }
    case "rollback": {
      const planned = planRollback(state, {
        project,
        ...(decision.restore !== undefined ? { to: decision.restore } : {}),
        expected: judged.production,
        reason,
      });
      // Nothing earlier to restore: the decision is still recorded, as the alarm it is.
      if (!planned.ok && planned.error.reason === "no-earlier-release") return ok([]);
      return planned.ok ? ok([{ alias: "production", ...planned.value }]) : planned;
    }
    case "pause":
    case "warn":
    case "retrain":
      return ok([]);
  }
}

/** The rules that fired, sorted: what `registry history` lists as failed. */
function failedRules(decision: MonitorDecision): string[] {
  if (decision.kind === "pause" || decision.kind === "promote") return [];
  return [decision.evidence.rule, ...(decision.evidence.alsoFailed ?? [])].sort();
}

/** The evidence as stored: the windows, figures and rule, plus what the kind adds. */
function evidenceOf(decision: MonitorDecision, judged: MonitorDecisionRequest["judged"]): Decision["evidence"] {
  const { rule, windows, figures, baseline, alsoFailed } = decision.evidence;
  const evidence: Decision["evidence"] = {
    alias: decision.alias,
    trigger: decision.trigger,
    rule,
    windows: [...windows],
    figures: { ...figures },
    judged: { ...judged },
  };
  if (baseline !== undefined) evidence["baseline"] = baseline;
  if (alsoFailed !== undefined) evidence["alsoFailed"] = [...alsoFailed];
  switch (decision.kind) {
    case "pause":
      evidence["needs"] = { ...decision.needs };
      evidence["deadline"] = { ...decision.deadline };
      break;
    case "abort":
      evidence["reason"] = decision.reason;
      break;
    case "rollback":
      evidence["reason"] = decision.reason;
      if (decision.restore !== undefined) evidence["restore"] = decision.restore;
      break;
    case "retrain":
      evidence["cause"] = decision.cause;
      break;
    case "promote":
    case "warn":
      break;
  }
  return evidence;
}
