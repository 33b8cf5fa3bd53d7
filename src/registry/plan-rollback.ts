/**
 * Rollback: re-point `production` at the previous known-good release. No
 * stage reruns; the release is immutable and already validated, and its
 * whole manifest (policy thresholds included) becomes the alias file.
 *
 * Known-good: a release the alias held before and did not leave through a
 * rollback (a release rolled back from is known-bad).
 */
import { fail, ok, type Result } from "../util/result.js";
import { checkNames } from "./name-check.js";
import { planMove, type PlannedMove } from "./plan-move.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";

/** A requested rollback. */
export interface RollbackRequest {
  readonly project: string;
  /** Defaults to `production`. */
  readonly alias?: string;
  /** A named release; default: the previous known-good one. */
  readonly to?: string;
  /** CAS: what the caller believes the alias holds (undefined: read now). */
  readonly expected?: string | null;
  readonly reason: string;
}

/** Releases the alias held and may return to, most recent first (excluding the current one). */
export function knownGoodReleases(state: RegistryState, project: string, alias: string): string[] {
  const current = state.aliasTarget(project, alias);
  const bad = new Set(state.rollbacks(project).filter((r) => r.alias === alias).map((r) => r.from));
  const held = state
    .moves(project, alias)
    .map((m) => m.to)
    .filter((r): r is string => r !== null);
  const seen = new Set<string>();
  const good: string[] = [];
  for (const release of held.reverse()) {
    if (release === current || bad.has(release) || seen.has(release)) continue;
    seen.add(release);
    good.push(release);
  }
  return good;
}

/** Plans the rollback: a `rollback` event and the alias move it causes. */
export function planRollback(state: RegistryState, request: RollbackRequest): Result<PlannedMove, RegistryRefusal> {
  const { project, reason } = request;
  const alias = request.alias ?? "production";
  const names = checkNames({ project, alias, ...(request.to !== undefined ? { release: request.to } : {}) });
  if (!names.ok) return names;
  const current = state.aliasTarget(project, alias);
  const good = knownGoodReleases(state, project, alias);
  let target: string;
  if (request.to !== undefined) {
    if (!state.release(project, request.to)) {
      return fail({ reason: "unknown-release", project, release: request.to, known: state.releases(project).map((r) => r.release) });
    }
    if (request.to === current) return fail({ reason: "not-known-good", project, release: request.to, why: `${project}@${alias} already holds it` });
    if (!good.includes(request.to)) {
      const why = state.moves(project, alias).some((m) => m.to === request.to)
        ? `${alias} was rolled back from it before (known-bad)`
        : `${alias} never held it; use \`sluice promote\` for a release that was never live`;
      return fail({ reason: "not-known-good", project, release: request.to, why });
    }
    target = request.to;
  } else {
    const previous = good[0];
    if (previous === undefined || current === null) return fail({ reason: "no-earlier-release", project, alias, current });
    target = previous;
  }
  if (current === null) return fail({ reason: "no-earlier-release", project, alias, current });
  const move = planMove(state, { project, alias, to: target, expected: request.expected, cause: "rollback", reason });
  if (!move.ok) return move;
  return ok({
    ...move.value,
    drafts: [{ type: "rollback", project, alias, from: current, to: target, reason }, ...move.value.drafts],
  });
}
