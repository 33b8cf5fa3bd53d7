/**
 * The registry written by hand: `promote` (an alias to a release, with the
 * approvals the policy requires), `rollback` (an alias back to a
 * known-good release, nothing rebuilt), `approve` (a signed sign-off), and
 * `lineage` (a live release traced back to its evidence, approvals checked
 * against today's signers). Each returns the document `--json` prints.
 */
import type { Lineage } from "../registry/index.js";
import type { OpResult } from "./failure.js";
import { refuse } from "./failure.js";
import { refused, withRegistry } from "./registry-session.js";

export interface PromoteRequest {
  readonly project: string;
  readonly release: string;
  readonly alias: string;
  /** Refuse unless the alias holds this now (null: unset). */
  readonly expected: string | null | undefined;
  readonly reason: string | undefined;
}

export interface AliasMoveDocument {
  readonly ok: true;
  readonly project: string;
  readonly alias: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly moved: boolean;
}

export async function promoteRelease(cwd: string, request: PromoteRequest): Promise<OpResult<AliasMoveDocument>> {
  return withRegistry(cwd, async ({ root, registry }) => {
    const { loadProjectPolicy } = await import("../registry/index.js");
    const policy = await loadProjectPolicy(root, request.project);
    if (!policy.ok) return refused(policy.error);
    const { project, release, alias, expected } = request;
    const moved = await registry.promote(policy.value, { project, release, alias, expected, reason: request.reason ?? `promoted by ${registry.actor}` });
    if (!moved.ok) return refused(moved.error);
    const { from, to, drafts } = moved.value;
    return { ok: true, value: { ok: true, project, alias, from, to, moved: drafts.length > 0 } };
  });
}

export interface RollbackRequest {
  readonly project: string;
  readonly alias: string;
  /** A named earlier release; default the previous known-good one. */
  readonly to: string | undefined;
  readonly reason: string;
}

export interface RollbackDocument {
  readonly ok: true;
  readonly project: string;
  readonly alias: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly reason: string;
  /** The alias file, rewritten with the release's whole manifest. */
  readonly aliasFile: string;
  readonly manifest: unknown;
}

export async function rollbackAlias(cwd: string, request: RollbackRequest): Promise<OpResult<RollbackDocument>> {
  return withRegistry(cwd, async ({ registry }) => {
    const { aliasFilePath } = await import("../registry/index.js");
    const { project, alias, reason } = request;
    const rolled = await registry.rollback({ project, alias, reason, ...(request.to ? { to: request.to } : {}) });
    if (!rolled.ok) return refused(rolled.error);
    const { from, to } = rolled.value;
    const manifest = to === null ? undefined : (await registry.state()).release(project, to)?.manifest;
    return { ok: true, value: { ok: true, project, alias, from, to, reason, aliasFile: aliasFilePath(project, alias), manifest } };
  });
}

export interface ApproveRequest {
  readonly project: string;
  readonly release: string;
  readonly role: string;
  /** The approver's name; default the current identity. */
  readonly by: string | undefined;
  readonly note: string | undefined;
  /** The SSH key to sign with (`--key`), else SLUICE_SIGNING_KEY or git's user.signingkey. */
  readonly key: string | undefined;
}

export interface ApprovalDocument {
  readonly ok: true;
  /** False when the same approval was already on record. */
  readonly recorded: boolean;
  readonly project: string;
  readonly release: string;
  readonly role: string;
  readonly by: string;
  /** The signing key's fingerprint. */
  readonly key: string | null;
  /** The allowed signers the key is listed as. */
  readonly signer: readonly string[];
  readonly missingForProduction: readonly string[];
}

export async function approveRelease(cwd: string, request: ApproveRequest): Promise<OpResult<ApprovalDocument>> {
  return withRegistry(cwd, async ({ root, registry }) => {
    const { loadProjectPolicy, resolveSigningKey } = await import("../registry/index.js");
    const policy = await loadProjectPolicy(root, request.project);
    if (!policy.ok) return refused(policy.error);
    const key = resolveSigningKey(request.key, cwd);
    if (!key.ok) return refuse("usage", key.error);
    const { project, release, role } = request;
    const by = request.by ?? registry.actor;
    const approved = await registry.approve(policy.value, { project, release, role, by, note: request.note ?? "" }, key.value);
    if (!approved.ok) return refused(approved.error);
    const gap = await registry.approvalGap(policy.value, project, release, "production");
    const { check, recorded } = approved.value;
    const signer = check.counted ? { key: check.fingerprint, signer: check.principals } : { key: check.fingerprint ?? null, signer: [] };
    return { ok: true, value: { ok: true, recorded, project, release, role, by, ...signer, missingForProduction: gap.missing } };
  });
}

export interface TracedLineage {
  readonly lineage: Lineage;
  /** Aliases the default reference skipped because they point at no release yet (`production` before the first promotion). */
  readonly unset: readonly string[];
}

/** A release (`@alias` or a name; default the live one) traced back to its evidence. */
export async function traceRelease(cwd: string, project: string, ref: string | undefined): Promise<OpResult<TracedLineage>> {
  return withRegistry(cwd, async ({ root, registry }) => {
    const { liveRef, loadProjectPolicy, resolveRef, traceLineage } = await import("../registry/index.js");
    const state = await registry.state();
    const live = ref === undefined ? liveRef(state, project) : undefined;
    const chosen = ref ?? live?.ref ?? "@production";
    // Approvals are shown with whether they count: their signatures are checked against today's allowed signers.
    const resolved = resolveRef(state, project, chosen);
    const policy = await loadProjectPolicy(root, project);
    const checks = resolved.ok ? await registry.checkApprovals(policy.ok ? policy.value : undefined, state, project, resolved.value) : [];
    const traced = traceLineage(state, project, chosen, checks);
    if (!traced.ok) return refused(traced.error);
    return { ok: true, value: { lineage: traced.value, unset: live?.unset ?? [] } };
  });
}
