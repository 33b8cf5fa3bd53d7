/**
 * A project's release history from the registry: every release and where it
 * stands, every event in order with the reason behind it, and the periods
 * each alias held each release.
 */
import type { Decision, RegistryEvent } from "../../../contracts/index.js";
import type { RegistryState } from "../../registry/index.js";
import { unreachable } from "../../util/result.js";
import { gateRows } from "./live-releases.js";
import type { AliasSpan, ReleaseStanding, ReleaseSummary, TimelineEntry } from "./report-model.js";

/** Aliases in the order the report lists them. */
const ALIAS_ORDER = ["production", "canary"];

/** Every release of `project`, oldest first, with its standing and evidence. */
export function releaseSummaries(state: RegistryState, project: string): ReleaseSummary[] {
  const live = new Map<string, string[]>();
  for (const pointer of state.aliases(project)) {
    if (pointer.release !== null) live.set(pointer.release, [...(live.get(pointer.release) ?? []), pointer.alias]);
  }
  const aborted = new Set(state.moves(project, "canary").filter((m) => m.cause === "abort").map((m) => m.from));
  const rolledBack = new Set(state.rollbacks(project).map((r) => r.from));
  const everLive = new Set(state.aliases(project).flatMap((a) => state.moves(project, a.alias).map((m) => m.to)));

  return state.releases(project).map((record) => {
    const decisions = state.decisions(project, record.release);
    const gateDecision = decisions.filter((d) => d.decision === "hold" || d.decision === "canary_open").at(-1);
    const held = gateDecision?.decision === "hold";
    const aliases = sortAliases(live.get(record.release) ?? []);
    const standings: ReleaseStanding[] = aliases.filter((a): a is "production" | "canary" => a === "production" || a === "canary");
    if (held) standings.push("held");
    if (aborted.has(record.release)) standings.push("aborted");
    if (rolledBack.has(record.release)) standings.push("rolled-back");
    if (standings.length === 0) standings.push(everLive.has(record.release) ? "retired" : "registered");
    return {
      release: record.release,
      seq: record.seq,
      at: record.manifest.lineage.createdAt,
      createdBy: record.manifest.lineage.createdBy,
      manifestDigest: record.manifestDigest,
      standings,
      gates: gateRows(record.manifest.gates),
      failedGates: held ? gateDecision.failed : [],
      metrics: record.manifest.evaluation.metrics,
      decisions,
      approvals: state.approvals(project, record.release),
    };
  });
}

/** Every registry event of `project`, oldest first, each in one sentence with its reasons. */
export function timelineEntries(state: RegistryState, project: string): TimelineEntry[] {
  return state.events.filter((e) => e.project === project).map(describe);
}

/** The periods each alias of `project` held a release, from its moves. */
export function aliasSpans(state: RegistryState, project: string): AliasSpan[] {
  const aliases = sortAliases(state.aliases(project).map((a) => a.alias));
  return aliases.flatMap((alias) => {
    const moves = state.moves(project, alias);
    return moves.map((move, i) => ({
      alias,
      release: move.to,
      fromSeq: move.seq,
      toSeq: moves[i + 1]?.seq ?? null,
      since: move.at,
    }));
  });
}

function sortAliases(aliases: readonly string[]): string[] {
  const rank = (a: string): number => (ALIAS_ORDER.includes(a) ? ALIAS_ORDER.indexOf(a) : ALIAS_ORDER.length);
  return [...aliases].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function describe(event: RegistryEvent): TimelineEntry {
  const base = { seq: event.seq, at: event.at, actor: event.actor, type: event.type, decision: undefined, evidence: undefined };
  switch (event.type) {
    case "release_registered": {
      const m = event.manifest;
      return {
        ...base,
        release: event.release,
        title: `registered ${event.release}`,
        why: [`data ${m.data.id}, features ${m.features.version}, model ${m.model.id}, policy ${m.actionPolicy.id}`],
      };
    }
    case "alias_moved":
      return {
        ...base,
        release: event.to ?? event.from,
        title: `${event.alias}: ${event.from ?? "(unset)"} → ${event.to ?? "(cleared)"} [${event.cause}]`,
        why: event.reason === "" ? [] : [event.reason],
      };
    case "decision":
      return {
        ...base,
        decision: event.decision,
        release: event.release,
        title: `${event.decision}${event.release === null ? "" : ` ${event.release}`}`,
        why: decisionReasons(event),
        evidence: event.evidence,
      };
    case "approval":
      return {
        ...base,
        release: event.release,
        title: `${event.release} approved as ${event.role} by ${event.by}`,
        why: event.note === "" ? [] : [event.note],
      };
    case "rollback":
      return {
        ...base,
        release: event.to,
        title: `rollback ${event.alias}: ${event.from} → ${event.to}`,
        why: event.reason === "" ? [] : [event.reason],
      };
    default:
      return unreachable(event);
  }
}

/**
 * Why a decision was taken, in the words a reviewer looks for: the failed
 * gates of a hold, the labels still missing for a pause, the rule that fired
 * for a rollback or an abort. Monitor evidence is read loosely (the rule and
 * figures may sit at the top or under `evidence`), since it is free-form JSON.
 */
export function decisionReasons(decision: Decision): string[] {
  const evidence = decision.evidence;
  const nested = record(evidence["evidence"]);
  const rule = text(evidence["rule"]) ?? text(nested?.["rule"]);
  const figures = record(evidence["figures"]) ?? record(nested?.["figures"]) ?? {};
  const reasons: string[] = [];
  switch (decision.decision) {
    case "hold": {
      const missing = Array.isArray(evidence["missing"]) ? evidence["missing"].map(String) : [];
      reasons.push(`failed gates: ${decision.failed.join(", ") || "(none named)"}`);
      if (missing.length > 0) reasons.push(`missing gates: ${missing.join(", ")}`);
      break;
    }
    case "pause": {
      const labelled = number(figures["labelled"]);
      const minLabelled = number(figures["minLabelled"]);
      const needs = record(evidence["needs"]);
      const short = number(needs?.["labels"]) ?? (labelled !== undefined && minLabelled !== undefined ? Math.max(0, minLabelled - labelled) : undefined);
      if (short !== undefined) {
        reasons.push(`labels missing: ${short}${labelled !== undefined && minLabelled !== undefined ? ` (${labelled} of ${minLabelled} labelled)` : ""}`);
      }
      const windows = number(figures["labelledWindows"]);
      const minWindows = number(figures["minWindows"]);
      if (windows !== undefined && minWindows !== undefined) reasons.push(`labelled windows: ${windows} of ${minWindows}`);
      break;
    }
    case "rollback":
    case "abort":
    case "promote":
    case "warn":
    case "retrain":
    case "canary_open": {
      // Monitor decisions name the rule that fired in `failed` too; say it once.
      const others = decision.failed.filter((f) => f !== rule);
      if (others.length > 0) reasons.push(`failed: ${others.join(", ")}`);
      break;
    }
    default:
      unreachable(decision.decision);
  }
  const cause = text(evidence["reason"]);
  if (rule !== undefined) {
    const verb = decision.decision === "pause" || decision.decision === "promote" ? "applied" : "fired";
    reasons.push(`rule ${verb}: ${rule}${cause !== undefined ? ` (${cause})` : ""}`);
  }
  // A hold's recorded reason repeats its gate list; anything else it says is worth showing.
  const restated = decision.decision === "hold" && decision.failed.every((gate) => decision.reason.includes(gate));
  if (decision.reason !== "" && !restated) reasons.push(decision.reason);
  return reasons;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
