/**
 * Registering a release: an immutable `<project>_v<N>` record of the full
 * tuple. Registration is idempotent: a candidate whose tuple equals an
 * existing release's gets that release back, never a duplicate.
 */
import type { ReleaseManifest } from "../../contracts/index.js";
import type { EventDraft, TransactionStamp } from "./event-draft.js";
import { manifestDigest, tupleDigest, type CandidateLineage, type CandidateTuple } from "./release-tuple.js";
import type { RegistryState } from "./registry-state.js";

/** The release a candidate maps to, and whether this registration creates it. */
export interface PlannedRegistration {
  readonly release: string;
  readonly manifest: ReleaseManifest;
  readonly manifestDigest: string;
  readonly tupleDigest: string;
  /** False when an equal tuple was already registered (nothing to append). */
  readonly created: boolean;
  readonly drafts: readonly EventDraft[];
}

/** Plans the registration of `candidate` on top of `state`. */
export function planRegistration(
  state: RegistryState,
  candidate: CandidateTuple,
  lineage: CandidateLineage,
  stamp: TransactionStamp,
): PlannedRegistration {
  const tuple = tupleDigest(candidate);
  const existing = state.releaseByTuple(candidate.project, tuple);
  if (existing) {
    return {
      release: existing.release,
      manifest: existing.manifest,
      manifestDigest: existing.manifestDigest,
      tupleDigest: tuple,
      created: false,
      drafts: [],
    };
  }
  const release = state.nextReleaseName(candidate.project);
  const manifest: ReleaseManifest = {
    schemaVersion: 1,
    project: candidate.project,
    release,
    data: candidate.data,
    features: candidate.features,
    model: candidate.model,
    actionPolicy: candidate.actionPolicy,
    monitorPolicy: candidate.monitorPolicy,
    gates: [...candidate.gates].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    evaluation: candidate.evaluation,
    lineage: { ...lineage, createdBy: stamp.actor, createdAt: stamp.at },
  };
  const digest = manifestDigest(manifest);
  return {
    release,
    manifest,
    manifestDigest: digest,
    tupleDigest: tuple,
    created: true,
    drafts: [{ type: "release_registered", project: candidate.project, release, manifestDigest: digest, tupleDigest: tuple, manifest }],
  };
}
