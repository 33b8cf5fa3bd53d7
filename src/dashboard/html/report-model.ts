/**
 * The report model: everything the HTML report shows, as plain data. It is
 * built once from the workspace, the run history, the registry, the policy
 * and the live windows (build-report-model.ts), then rendered without any
 * further reading (render-page.ts), so what the page says can be tested
 * without a browser.
 */
import type { Approval, Decision, DecisionKind, GateResult, RegistryEvent } from "../../../contracts/index.js";
import type { Lineage } from "../../registry/index.js";
import type { PlotView } from "./plot-view.js";

/**
 * The last status of a stage, as the DAG colours it:
 * - `ran`     executed by the project's latest recorded run, outputs current
 * - `cached`  current outputs come from an earlier run (the latest was a hit)
 * - `failed`  the latest attempt at the current key failed
 * - `held`    a promotion that succeeded and moved nothing
 * - `stale`   would run now (inputs, params or code changed, or it never
 *             ran), or its outputs would be restored from the store
 */
export type NodeStatus = "ran" | "cached" | "failed" | "held" | "stale";

/** Every node status, in legend order. */
export const NODE_STATUSES: readonly NodeStatus[] = ["ran", "cached", "held", "failed", "stale"];

/** One output as recorded: name, path, digest, byte size. */
export interface OutputDigest {
  readonly name: string;
  readonly path: string;
  readonly digest: string;
  readonly size: number | null;
}

/** A stage as the DAG shows it. */
export interface StageNode {
  readonly id: string;
  readonly project: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly status: NodeStatus;
  /** The stage key now, or the key of its latest run when the current one cannot be computed yet. */
  readonly key: string | null;
  readonly durationMs: number | null;
  readonly outputs: readonly OutputDigest[];
  /** True when `outputs` and `durationMs` describe an earlier run, not the current key. */
  readonly fromEarlierRun: boolean;
  /** Why a stale stage would run, or what the failed attempt reported. */
  readonly notes: readonly string[];
  /** The latest recorded execution: run id, start, outcome. */
  readonly lastRun: { readonly run: string; readonly startedAt: string; readonly status: string } | null;
}

/** A point of a laid-out edge or node centre, in SVG user units. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A project's DAG, laid out at generation time. */
export interface ProjectDag {
  readonly nodes: readonly StageNode[];
  readonly width: number;
  readonly height: number;
  /** Centre and size per stage id. */
  readonly boxes: Readonly<Record<string, Point & { readonly width: number; readonly height: number }>>;
  readonly edges: readonly { readonly from: string; readonly to: string; readonly points: readonly Point[] }[];
}

/** Where a release stands now; a release may be several at once (canary and production). */
export type ReleaseStanding = "production" | "canary" | "held" | "aborted" | "rolled-back" | "retired" | "registered";

/** One registered release with what the registry knows about it. */
export interface ReleaseSummary {
  readonly release: string;
  readonly seq: number;
  readonly at: string;
  readonly createdBy: string;
  readonly manifestDigest: string;
  readonly standings: readonly ReleaseStanding[];
  /** Every gate the promotion saw, sorted by name. */
  readonly gates: readonly GateRow[];
  /** Gates the gate decision named as failed or missing (a held release). */
  readonly failedGates: readonly string[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly decisions: readonly Decision[];
  readonly approvals: readonly Approval[];
}

/** One line of the release timeline. */
export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly type: RegistryEvent["type"];
  /** For decisions. */
  readonly decision: DecisionKind | undefined;
  readonly release: string | null;
  /** One sentence: what happened. */
  readonly title: string;
  /** Why: failed gates, labels missing, the rule that fired, the approver's note. */
  readonly why: readonly string[];
  /** The decision's evidence record, shown on demand. */
  readonly evidence: Readonly<Record<string, unknown>> | undefined;
}

/** A period during which an alias held one release (or was unset). */
export interface AliasSpan {
  readonly alias: string;
  readonly release: string | null;
  /** Registry line of the move that started it. */
  readonly fromSeq: number;
  /** Line of the move that ended it; null while it lasts. */
  readonly toSeq: number | null;
  readonly since: string;
}

/** One row of a live release's gate table. */
export interface GateRow {
  readonly name: string;
  readonly value: GateResult["value"];
  readonly threshold: GateResult["threshold"];
  readonly critical: boolean;
  readonly passed: boolean;
  /** The gate's own one-line explanation, when it gave one (`evidence.why`). */
  readonly why: string | undefined;
  readonly evidence: GateResult["evidence"];
}

/** The gates of the release an alias holds now. */
export interface GateTable {
  readonly alias: string;
  readonly release: string;
  readonly rows: readonly GateRow[];
}

/** A value per window, in time order; null where the window has none. */
export interface WindowPoint {
  readonly window: string;
  readonly release: string;
  readonly value: number | null;
}

/** The primary metric of production windows against the SLO floor. */
export interface SloSeries {
  readonly metric: string;
  readonly direction: "higher" | "lower";
  readonly floor: number;
  readonly window: number;
  readonly consecutive: number;
  readonly values: readonly WindowPoint[];
  /** Rolling mean of `window` values, restarted when production changes release (as the rule judges each release alone). */
  readonly rolling: readonly WindowPoint[];
}

/** PSI of one feature per production window. */
export interface PsiSeries {
  readonly feature: string;
  readonly points: readonly WindowPoint[];
  /** What each release's PSI was measured against. */
  readonly references: readonly string[];
  /** Windows whose PSI could not be computed, and why. */
  readonly skipped: readonly string[];
}

/** Labelled outcomes accumulated by one canary release. */
export interface LabelledSeries {
  readonly release: string;
  /** Cumulative labelled outcomes after each canary window. */
  readonly points: readonly WindowPoint[];
  readonly labelledWindows: number;
}

/** The plots of one window file: one series, as one monitor pass reads it. */
export interface MonitorFeed {
  /** Workspace-relative path of the file. */
  readonly file: string;
  readonly windowCount: number;
  /** End of the file's latest window (ISO); the newest feed is shown first. */
  readonly latestEnd: string | undefined;
  readonly slo: SloSeries | undefined;
  readonly drift: { readonly warnPsi: number; readonly actPsi: number; readonly features: readonly PsiSeries[] } | undefined;
  readonly labelled: { readonly minLabelled: number; readonly minWindows: number; readonly releases: readonly LabelledSeries[] } | undefined;
}

/** The monitoring section of a project. */
export interface MonitorView {
  /** Workspace-relative folder of the window files. */
  readonly dir: string;
  /** Files rejected by the live-window contract, with their first problems. */
  readonly problems: readonly string[];
  /** Which policy set the thresholds (the live release's own, or the policy file's); undefined when none applies. */
  readonly policySource: string | undefined;
  /** One per usable window file, newest first. */
  readonly feeds: readonly MonitorFeed[];
}

/** Everything about one project. */
export interface ProjectReport {
  readonly name: string;
  readonly dag: ProjectDag;
  readonly releases: readonly ReleaseSummary[];
  readonly timeline: readonly TimelineEntry[];
  readonly aliasSpans: readonly AliasSpan[];
  readonly gateTables: readonly GateTable[];
  readonly monitor: MonitorView;
  /** The plot files the project's stages declare, as the workspace holds them. */
  readonly plots: readonly PlotView[];
  /** Lineage of each live release (production first), one per release. */
  readonly lineage: readonly Lineage[];
}

/** The whole report. */
export interface ReportModel {
  readonly generatedAt: string;
  readonly workspace: string;
  readonly projects: readonly ProjectReport[];
  /** Problems that did not stop the report (an unreadable registry, a missing policy). */
  readonly notes: readonly string[];
}
