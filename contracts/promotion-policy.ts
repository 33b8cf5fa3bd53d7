/**
 * The promotion policy contract (`contracts/promotion_policy.json`): per
 * project, which gates must pass, how a challenger must beat the champion,
 * the monitor policy that judges a release live (its contract is
 * monitoring's, `src/monitor/monitor-policy.ts`), and who must approve a move to production.
 */
import { z } from "zod";
import { AliasName, Name } from "./json-value.js";
import { Direction, MonitorPolicy } from "./monitor-policy.js";

/** A gate the policy requires; a failed critical gate can never be waived. */
export const RequiredGate = z
  .strictObject({
    name: Name.describe("gate name, as evaluation stages write it"),
    critical: z.boolean().describe("true when no approval may ever waive it"),
  })
  .meta({ id: "RequiredGate" });

/** A bound on a metric or live signal: `max` is a ceiling, `min` a floor. */
export const Bound = z
  .union([
    z.strictObject({ name: Name, max: z.number().describe("ceiling: the value must be <= max") }),
    z.strictObject({ name: Name, min: z.number().describe("floor: the value must be >= min") }),
  ])
  .meta({ id: "Bound", description: "a ceiling (max) or a floor (min) on a named metric or signal" });

/** How a challenger must beat the production release (the champion). */
export const ChampionChallengerRule = z
  .strictObject({
    gate: Name.describe("name of the gate this rule decides (beats_champion, ndcg_improves)"),
    primaryMetric: Name.describe("metric of the evaluation report compared with the champion's"),
    direction: Direction.describe("higher: bigger is better (AUC, NDCG); lower: smaller is better (MAE, cost)"),
    margin: z.number().nonnegative().describe("the challenger must win by strictly more than this"),
    guardrails: z.array(Bound).describe("challenger metrics that must stay within bounds whatever the win"),
    withoutChampion: z
      .enum(["pass", "fail"])
      .describe("verdict of beats_champion when no production release exists yet"),
  })
  .meta({ id: "ChampionChallengerRule" });

/**
 * The monitor policy a release carries: an id (its version) and the
 * criteria that will judge it live (canary pause/promote/abort, SLO,
 * rollback events, drift), whose contract belongs to monitoring.
 */
export const MonitorPolicyRef = z
  .strictObject({
    id: Name.describe("version of these criteria (eta_monitor_v1)"),
    criteria: MonitorPolicy,
  })
  .meta({ id: "MonitorPolicyRef" });
export type MonitorPolicyRef = z.output<typeof MonitorPolicyRef>;

/** Who must sign off a move of one alias. */
export const ApprovalRule = z
  .strictObject({
    roles: z.array(Name).describe("each role needs at least one approval of the release"),
    separationOfDuties: z.boolean().describe("approvals by the release's creator do not count"),
  })
  .meta({ id: "ApprovalRule" });

/**
 * How continuous training makes a new candidate: which snapshot param of
 * which params file moves forward, and by how much. `sluice retrain` edits
 * that one value (as \`dvc exp run --set-param\` does) and runs the project.
 */
export const RetrainRule = z
  .strictObject({
    paramsFile: z.string().min(1).describe("workspace-relative JSON params file holding the snapshot param"),
    snapshotParam: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/).describe("dotted path of a YYYY-MM-DD date param (snapshot.cutoff)"),
    advanceDays: z.int().positive().describe("days a retrain moves the snapshot date forward"),
  })
  .meta({ id: "RetrainRule" });
export type RetrainRule = z.output<typeof RetrainRule>;

/** The policy of one project. */
export const ProjectPolicy = z
  .strictObject({
    requiredGates: z.array(RequiredGate).min(1),
    championChallenger: ChampionChallengerRule,
    monitor: MonitorPolicyRef,
    approvals: z.record(AliasName, ApprovalRule).describe("per alias; an alias absent here needs none"),
    allowedSigners: z
      .record(Name, z.string().min(1))
      .optional()
      .describe("per role, the workspace-relative allowed_signers file (ssh-keygen format) whose keys may approve in that role"),
    retrain: RetrainRule.optional().describe("how `sluice retrain` makes a new candidate; absent: retrain needs --set"),
  })
  .meta({ id: "ProjectPolicy" });
export type ProjectPolicy = z.output<typeof ProjectPolicy>;

/** The whole policy file. */
export const PromotionPolicy = z
  .strictObject({
    version: z.literal(1),
    projects: z.record(Name, ProjectPolicy),
  })
  .meta({ id: "PromotionPolicy", title: "sluice promotion policy" });
export type PromotionPolicy = z.output<typeof PromotionPolicy>;
export type Bound = z.output<typeof Bound>;
export type ChampionChallengerRule = z.output<typeof ChampionChallengerRule>;
export type ApprovalRule = z.output<typeof ApprovalRule>;
