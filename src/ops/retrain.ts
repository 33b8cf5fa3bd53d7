/**
 * Continuous training: move the project's snapshot date forward and run its
 * pipeline as any run would (validation, evaluation and the promotion
 * record are never skipped), with the trigger passed to the promote stage
 * so the release's lineage says why it was built.
 *
 * The run is a child `sluice run <project> --json`: the same lock, cache,
 * progress and exit codes as a run started by hand.
 */
import { spawnSync } from "node:child_process";
import type { Trigger } from "../../contracts/index.js";
import { describeRefusal, encodeRetrainTrigger, loadProjectPolicy, POLICY_FILE, TRIGGER_ENV } from "../registry/index.js";
import { fail, ok, type Result } from "../util/result.js";
import { applySnapshotMove, planSnapshotMove, type SnapshotMove } from "./snapshot-param.js";

import type { RetrainDecision } from "./retrain-summary.js";

export type { RetrainDecision } from "./retrain-summary.js";

/** A finished retrain. */
export interface RetrainOutcome {
  readonly project: string;
  readonly trigger: Trigger;
  readonly snapshot: SnapshotMove;
  /** The run's exit code (0, 1 failed stage, 3 never: holds are reported, not failed). */
  readonly exitCode: number;
  /** The run's `--json` document. */
  readonly run: { readonly ok: boolean; readonly stages: readonly unknown[]; readonly decisions: readonly RetrainDecision[] };
  /** The candidate's promotion decision, when the promote stage ran. */
  readonly decision: RetrainDecision | undefined;
}

/** A retrain that could not start, with its exit code. */
export interface RetrainRefusal {
  readonly message: string;
  readonly exitCode: 1 | 2;
}

/** Retrains `project`: edit the snapshot param, run, report the decision. */
export async function retrainProject(
  root: string,
  project: string,
  trigger: Trigger,
  options: { readonly snapshot?: string | undefined; readonly bin?: string | undefined } = {},
): Promise<Result<RetrainOutcome, RetrainRefusal>> {
  const policy = await loadProjectPolicy(root, project);
  if (!policy.ok) return fail({ message: describeRefusal(policy.error), exitCode: 2 });
  const rule = policy.value.retrain;
  if (!rule) return fail({ message: `${POLICY_FILE} has no retrain rule for ${project} (paramsFile, snapshotParam, advanceDays)`, exitCode: 2 });
  const move = planSnapshotMove(root, rule, options.snapshot);
  if (!move.ok) return fail({ message: move.error, exitCode: 2 });
  applySnapshotMove(root, move.value);

  const bin = options.bin ?? process.argv[1]!;
  const child = spawnSync(process.execPath, [bin, "run", project, "--json"], {
    cwd: root,
    env: { ...process.env, [TRIGGER_ENV]: encodeRetrainTrigger(project, trigger) },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  let run: RetrainOutcome["run"];
  try {
    run = JSON.parse(child.stdout) as RetrainOutcome["run"];
  } catch {
    return fail({ message: `the retrain run of ${project} printed no result (exit ${child.status ?? child.signal})`, exitCode: 1 });
  }
  const decision = run.decisions.find((d) => (d as { project?: string }).project === project);
  return ok({ project, trigger, snapshot: move.value, exitCode: child.status ?? 1, run, decision });
}
