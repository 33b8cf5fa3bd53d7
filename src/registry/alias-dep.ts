/**
 * How an evaluation stage depends on the release an alias points at,
 * without the engine knowing what a release is: an `external` dep whose
 * value is that release's manifest digest (null when the alias is unset).
 * A promotion or rollback changes the value, which reruns exactly the
 * evaluations that compared against the old champion.
 */
import type { ReleaseManifest } from "../../contracts/index.js";
import { external, type ExternalRef } from "../pipeline/index.js";
import { registryBackend } from "./open-registry.js";
import { RegistryState } from "./registry-state.js";

/** The manifest digest `alias` of `project` points at now, or null. */
export async function aliasManifestDigest(root: string, project: string, alias: string): Promise<string | null> {
  const state = RegistryState.fold((await registryBackend(root).read()).events);
  const release = state.aliasTarget(project, alias);
  return release === null ? null : (state.release(project, release)?.manifestDigest ?? null);
}

/**
 * A dep on `project@alias` for a pipeline file:
 *
 *   deps: { champion: aliasDep("eta", "production") }
 *
 * The stage receives the manifest digest (or null); `loadManifest` turns
 * it into the champion's manifest and its recorded metrics.
 */
export function aliasDep(project: string, alias = "production"): ExternalRef<string | null> {
  return external(`registry:${project}@${alias}`, ({ workspaceRoot }) => aliasManifestDigest(workspaceRoot, project, alias));
}

/** What a promote stage's decision depends on besides its artifacts. */
export interface PromotionState {
  readonly [key: string]: string | null | string[];
  /** Manifest digest production holds (null: unset). */
  readonly production: string | null;
  /** Sorted releases production was rolled back from or whose canary was aborted. */
  readonly knownBad: string[];
}

/** The registry state a promote stage's decision depends on, for its key. */
export async function promotionState(root: string, project: string): Promise<PromotionState> {
  const state = RegistryState.fold((await registryBackend(root).read()).events);
  const production = state.aliasTarget(project, "production");
  const knownBad = new Set([
    ...state.rollbacks(project).map((r) => r.from),
    ...state.moves(project, "canary").filter((m) => m.cause === "abort" && m.from !== null).map((m) => m.from as string),
  ]);
  return {
    production: production === null ? null : (state.release(project, production)?.manifestDigest ?? null),
    knownBad: [...knownBad].sort(),
  };
}

/**
 * A dep of the promote stage on the registry state its decision reads: a
 * production move, a rollback or an aborted canary reruns it (so a rerun
 * never reports a stale decision), while the canary moves it makes itself
 * do not (so a second run is a cache hit).
 */
export function promotionStateDep(project: string): ExternalRef<PromotionState> {
  return external(`registry:${project}@promotion-state`, ({ workspaceRoot }) => promotionState(workspaceRoot, project));
}

/**
 * The manifest whose digest is `digest`, read from the log (the log is the
 * one place manifests live). Null for a null digest; throws when no
 * release has that digest, which means the registry was rewritten.
 */
export async function loadManifest(root: string, digest: string | null): Promise<ReleaseManifest | null> {
  if (digest === null) return null;
  const state = RegistryState.fold((await registryBackend(root).read()).events);
  const record = state.releases().find((r) => r.manifestDigest === digest);
  if (!record) throw new Error(`no release in the registry has manifest digest ${digest}`);
  return record.manifest;
}

/** The champion's recorded metrics for an evaluation stage (null: no champion yet). */
export async function championMetrics(
  root: string,
  digest: string | null,
): Promise<{ readonly release: string; readonly metrics: Readonly<Record<string, number>> } | null> {
  const manifest = await loadManifest(root, digest);
  return manifest === null ? null : { release: manifest.release, metrics: manifest.evaluation.metrics };
}

/** What an evaluation stage compares against: the production release and its recorded metrics. */
export interface Champion {
  readonly [key: string]: string | Readonly<Record<string, number>>;
  readonly release: string;
  /** The manifest digest: part of the value, so the dep changes exactly when production moves. */
  readonly manifest: string;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * A dep on the champion for an evaluation stage: the production release's
 * name, manifest digest and recorded metrics, or null before the first
 * release reaches production.
 *
 *   deps: { champion: championDep("eta") }
 */
export function championDep(project: string): ExternalRef<Champion | null> {
  return external(`registry:${project}@production:metrics`, async ({ workspaceRoot }) => {
    const digest = await aliasManifestDigest(workspaceRoot, project, "production");
    const champion = await championMetrics(workspaceRoot, digest);
    return champion === null || digest === null ? null : { release: champion.release, manifest: digest, metrics: champion.metrics };
  });
}
