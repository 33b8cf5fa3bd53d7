/**
 * Compare-and-swap of one alias. The caller says what it believes the
 * alias holds; if someone moved it first, the move is refused naming both
 * values and nothing is appended. Every move event records the release the
 * alias left and the one it now holds.
 */
import type { MoveCause } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { EventDraft } from "./event-draft.js";
import { checkNames } from "./name-check.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";

/** A requested move. */
export interface MoveRequest {
  readonly project: string;
  readonly alias: string;
  /** The release to point at; null clears the alias. */
  readonly to: string | null;
  /**
   * What the caller believes the alias holds now (null: unset). Undefined
   * means "whatever it holds": only for callers that read it in the same
   * transaction.
   */
  readonly expected: string | null | undefined;
  readonly cause: MoveCause;
  readonly reason: string;
}

/** The planned move: its event, or none when the alias already holds `to`. */
export interface PlannedMove {
  readonly from: string | null;
  readonly to: string | null;
  readonly drafts: readonly EventDraft[];
}

/** Plans a move against `state` without writing anything. */
export function planMove(state: RegistryState, request: MoveRequest): Result<PlannedMove, RegistryRefusal> {
  const { project, alias, to } = request;
  const names = checkNames({ project, alias, release: to });
  if (!names.ok) return names;
  if (to !== null && !state.release(project, to)) {
    return fail({ reason: "unknown-release", project, release: to, known: state.releases(project).map((r) => r.release) });
  }
  const actual = state.aliasTarget(project, alias);
  if (request.expected !== undefined && request.expected !== actual) {
    return fail({ reason: "stale-alias", project, alias, expected: request.expected, actual });
  }
  if (actual === to) return ok({ from: actual, to, drafts: [] });
  return ok({
    from: actual,
    to,
    drafts: [{ type: "alias_moved", project, alias, from: actual, to, cause: request.cause, reason: request.reason }],
  });
}
