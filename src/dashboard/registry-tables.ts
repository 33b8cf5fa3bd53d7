/**
 * Human renderings of registry state: the release list, one release, and
 * the move history of an alias.
 */
import type { AliasMoved, ReleaseManifest } from "../../contracts/index.js";
import { shortDigest, table } from "../report/index.js";

/** One row of `registry list`. */
export interface ReleaseRow {
  readonly project: string;
  readonly release: string;
  readonly manifestDigest: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Latest decision about the release (`canary_open`, `hold`, `promote`). */
  readonly decision: string | null;
  readonly failed: readonly string[];
  /** Aliases that point at it now. */
  readonly aliases: readonly string[];
  readonly model: ReleaseManifest["model"];
}

/** `registry list` as a table. */
export function renderReleaseList(rows: readonly ReleaseRow[]): string {
  if (rows.length === 0) return "no releases registered yet";
  return table([
    ["release", "aliases", "decision", "model", "created", "by"],
    ...rows.map((r) => [
      r.release,
      r.aliases.join(",") || "-",
      r.decision === "hold" ? `hold:${r.failed.join(",")}` : (r.decision ?? "-"),
      `${r.model.id}@${shortDigest(r.model.digest)}`,
      r.createdAt,
      r.createdBy,
    ]),
  ]);
}

/** `registry show` as a readable block. */
export function renderRelease(manifest: ReleaseManifest, manifestDigest: string, aliases: readonly string[]): string {
  const m = manifest;
  const lines = [
    `${m.release}  (${m.project}, manifest ${manifestDigest})${aliases.length > 0 ? `  live as ${aliases.join(", ")}` : ""}`,
    table([
      ["data", m.data.id, m.data.digest],
      ["features", m.features.version, m.features.digest],
      ["model", m.model.id, m.model.digest],
      ["action policy", m.actionPolicy.id, `${m.actionPolicy.digest}  thresholds ${JSON.stringify(m.actionPolicy.thresholds)}`],
      ["monitor policy", m.monitorPolicy.id, m.monitorPolicy.digest],
      ["evaluation", "report", `${m.evaluation.reportDigest}  metrics ${JSON.stringify(m.evaluation.metrics)}`],
    ]),
    "gates:",
    table(m.gates.map((g) => [`  ${g.passed ? "pass" : "FAIL"}`, g.name, `value ${JSON.stringify(g.value)}`, `threshold ${JSON.stringify(g.threshold)}`, g.critical ? "critical" : ""])),
    `created by ${m.lineage.createdBy} at ${m.lineage.createdAt}${m.lineage.pipelineCommit ? ` from commit ${m.lineage.pipelineCommit}` : ""}`,
  ];
  return lines.join("\n");
}

/** `registry history <project> <alias>`: every move with who, when and why. */
/** One move of an alias, as `registry history` shows it. */
export type AliasMoveRow = Pick<AliasMoved, "seq" | "at" | "actor" | "from" | "to" | "cause" | "reason">;

export function renderHistory(project: string, alias: string, moves: readonly AliasMoveRow[]): string {
  if (moves.length === 0) return `${project}@${alias} has never moved`;
  return table([
    ["event", "when", "who", "from", "to", "cause", "why"],
    ...moves.map((m) => [String(m.seq), m.at, m.actor, m.from ?? "-", m.to ?? "(cleared)", m.cause, m.reason]),
  ]);
}
