/**
 * The registry read, nothing written: every release with its decision and
 * live aliases (`registry list`), one release's manifest (`registry show`),
 * every move of an alias (`registry history`). Each returns the document
 * `--json` prints; the CLI renders the same document for people.
 */
import type { ReleaseManifest } from "../../contracts/index.js";
import type { AliasMoveRow, ReleaseRow } from "../dashboard/index.js";
import type { OpResult } from "./failure.js";
import { refused, withRegistry } from "./registry-session.js";

export interface ReleaseList {
  readonly releases: readonly ReleaseRow[];
  readonly aliases: readonly { readonly project: string; readonly alias: string; readonly release: string | null }[];
}

export async function listReleases(cwd: string, project: string | undefined): Promise<OpResult<ReleaseList>> {
  return withRegistry(cwd, async ({ registry }) => {
    const state = await registry.state();
    const releases = state.releases(project).map((r) => {
      const decision = state.decisions(r.project, r.release).at(-1);
      return {
        project: r.project,
        release: r.release,
        manifestDigest: r.manifestDigest,
        createdAt: r.manifest.lineage.createdAt,
        createdBy: r.manifest.lineage.createdBy,
        decision: decision?.decision ?? null,
        failed: decision?.failed ?? [],
        aliases: state.aliases(r.project).filter((a) => a.release === r.release).map((a) => a.alias),
        model: r.manifest.model,
      };
    });
    const aliases = state.aliases(project).filter((a) => a.release !== null).map((a) => ({ project: a.project, alias: a.alias, release: a.release }));
    return { ok: true, value: { releases, aliases } };
  });
}

export interface ShownRelease {
  readonly project: string;
  readonly release: string;
  readonly manifestDigest: string;
  readonly aliases: readonly string[];
  readonly manifest: ReleaseManifest;
}

/** One release by name or `@alias`. */
export async function showRelease(cwd: string, project: string, ref: string): Promise<OpResult<ShownRelease>> {
  return withRegistry(cwd, async ({ registry }) => {
    const { resolveRef } = await import("../registry/index.js");
    const state = await registry.state();
    const resolved = resolveRef(state, project, ref);
    if (!resolved.ok) return refused(resolved.error);
    const record = state.release(project, resolved.value);
    if (!record) return refused({ reason: "unknown-release", project, release: resolved.value, known: state.releases(project).map((r) => r.release) });
    const aliases = state.aliases(project).filter((a) => a.release === record.release).map((a) => a.alias);
    return { ok: true, value: { project: record.project, release: record.release, manifestDigest: record.manifestDigest, aliases, manifest: record.manifest } };
  });
}

export interface AliasHistory {
  readonly project: string;
  readonly alias: string;
  readonly current: string | null;
  readonly moves: readonly AliasMoveRow[];
}

/** Every move of one alias, oldest first. */
export async function aliasHistory(cwd: string, project: string, alias: string): Promise<OpResult<AliasHistory>> {
  return withRegistry(cwd, async ({ registry }) => {
    const state = await registry.state();
    const moves = state.moves(project, alias).map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, from: e.from, to: e.to, cause: e.cause, reason: e.reason }));
    return { ok: true, value: { project, alias, current: state.aliasTarget(project, alias), moves } };
  });
}
