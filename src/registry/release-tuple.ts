/**
 * The release tuple and its digests. Two candidates with the same tuple
 * (data, features, model, action policy, monitor policy, gates,
 * evaluation) are the same release, whoever built them and whenever: the
 * name and lineage are about the record, not the thing released.
 */
import type { ReleaseManifest } from "../../contracts/index.js";
import { digestString, type Digest } from "../cache/index.js";
import { canonicalJson } from "../util/canonical-json.js";

/** A candidate as the promote stage assembles it: the manifest minus what registration adds. */
export type CandidateTuple = Omit<ReleaseManifest, "schemaVersion" | "release" | "lineage">;

/** Lineage recorded with a release; `createdBy`/`createdAt` are filled at registration. */
export type CandidateLineage = Omit<ReleaseManifest["lineage"], "createdBy" | "createdAt">;

/** The digest that decides whether a candidate is already registered. */
export function tupleDigest(candidate: CandidateTuple): Digest {
  const { project, data, features, model, actionPolicy, monitorPolicy, gates, evaluation } = candidate;
  const sortedGates = [...gates].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return digestString(canonicalJson({ project, data, features, model, actionPolicy, monitorPolicy, gates: sortedGates, evaluation }));
}

/**
 * The digest of what would be served: data, features, model and both
 * policies, without the gates and evaluation that judged them. A candidate
 * that serves exactly what a live alias already serves is that release,
 * even when re-evaluating it against a new champion changed its evidence.
 */
export function deployableDigest(candidate: CandidateTuple): Digest {
  const { project, data, features, model, actionPolicy, monitorPolicy } = candidate;
  return digestString(canonicalJson({ project, data, features, model, actionPolicy, monitorPolicy }));
}

/** The digest of a whole manifest: what an evaluation compares against, what an alias file names. */
export function manifestDigest(manifest: ReleaseManifest): Digest {
  return digestString(canonicalJson(manifest));
}

/** Every object-store digest a manifest references (pinned against gc, checked by verify). */
export function referencedDigests(manifest: ReleaseManifest): string[] {
  return [
    manifest.data.digest,
    manifest.features.digest,
    manifest.model.digest,
    manifest.actionPolicy.digest,
    manifest.monitorPolicy.digest,
    manifest.evaluation.reportDigest,
  ];
}
