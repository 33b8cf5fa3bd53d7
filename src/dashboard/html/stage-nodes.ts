/**
 * The DAG's nodes: each stage's last status, key, duration and output
 * digests, from a dry run (what is current) and the run history (what was
 * executed last). The history only records executed stages; a stage that was
 * a hit leaves no line, which is exactly what tells `cached` from `ran`.
 */
import type { HistoryEntry, RunRecord } from "../../cache/index.js";
import type { StageResult } from "../../exec/index.js";
import type { Stage } from "../../pipeline/index.js";
import { unreachable } from "../../util/result.js";
import type { NodeStatus, OutputDigest, StageNode } from "./report-model.js";

/** What the nodes are built from. */
export interface StageEvidence {
  /** The dry run's result per stage id. */
  readonly current: ReadonlyMap<string, StageResult>;
  /** The run history, oldest first. */
  readonly history: readonly HistoryEntry[];
  /** The run record of a key, when one is stored (durations of hits). */
  readonly record: (key: string) => RunRecord | undefined;
}

/** The invocation part of a history run id (`<invocation>.<n>`). */
export function invocationOf(run: string): string {
  const dot = run.lastIndexOf(".");
  return dot < 0 ? run : run.slice(0, dot);
}

/** Builds the nodes of one project's stages, in declaration order. */
export function stageNodes(stages: readonly Stage[], evidence: StageEvidence): StageNode[] {
  const ids = new Set(stages.map((s) => s.id as string));
  const latest = new Map<string, HistoryEntry>();
  let latestInvocation: string | undefined;
  for (const entry of evidence.history) {
    if (!ids.has(entry.stage)) continue;
    latest.set(entry.stage, entry);
    latestInvocation = invocationOf(entry.run);
  }
  return stages.map((stage) => {
    const result = evidence.current.get(stage.id);
    const last = latest.get(stage.id);
    const status = nodeStatus(result, last, latestInvocation);
    return describeNode(stage, status, result, last, evidence);
  });
}

/**
 * The status rules, in one place:
 * - a hit is `held` when its record moved nothing, else `ran` when the
 *   project's latest run executed it at this very key, else `cached`;
 * - a stage that would run is `failed` when its latest attempt failed at the
 *   key it would run with now (nothing changed since), else `stale`.
 */
export function nodeStatus(result: StageResult | undefined, last: HistoryEntry | undefined, latestInvocation: string | undefined): NodeStatus {
  if (!result) return "stale";
  switch (result.status) {
    case "held":
      return "held";
    case "cached":
    case "ran": {
      const executedLast = last !== undefined && last.key === result.key && invocationOf(last.run) === latestInvocation;
      return executedLast && last.status === "ran" ? "ran" : "cached";
    }
    case "would-run":
      return last?.status === "failed" && last.key === result.key ? "failed" : "stale";
    case "failed":
      return "failed";
    case "restored":
    case "skipped":
    case "interrupted":
      return "stale";
    default:
      return unreachable(result.status);
  }
}

function describeNode(
  stage: Stage,
  status: NodeStatus,
  result: StageResult | undefined,
  last: HistoryEntry | undefined,
  evidence: StageEvidence,
): StageNode {
  const key = result?.key ?? null;
  const record = key === null ? undefined : evidence.record(key);
  const pathOf = (name: string): string => stage.outs.find((o) => o.name === name)?.path ?? name;
  // A hit's outputs and timing are its record's; anything else can only show the latest run's.
  const current = record !== undefined && status !== "failed" && status !== "stale";
  const outputs: OutputDigest[] = current
    ? Object.entries(record.outs).map(([name, out]) => ({ name, path: out.path, digest: out.digest, size: out.size }))
    : Object.entries(last?.outs ?? {}).map(([name, digest]) => ({ name, path: pathOf(name), digest, size: null }));
  const notes = [...(result?.why ?? [])];
  if (result?.failure) notes.push(`${result.failure.reason}: ${result.failure.message}`);
  if (status === "failed" && last?.exit) notes.push(last.exit);
  return {
    id: stage.id,
    project: stage.project,
    name: stage.name,
    description: stage.description,
    status,
    key: key ?? last?.key ?? null,
    durationMs: current ? record.durationMs : (last?.durationMs ?? null),
    outputs: outputs.sort((a, b) => a.name.localeCompare(b.name)),
    fromEarlierRun: !current && last !== undefined,
    notes,
    lastRun: last ? { run: last.run, startedAt: last.startedAt, status: last.status } : null,
  };
}
