/**
 * One line of `registry/releases.jsonl`. Every event carries its position
 * (`seq`, the 1-based line number) and `prev`, the digest of the line
 * before it, so an edit anywhere breaks the chain visibly.
 */
import { z } from "zod";
import { AliasName, DigestString, JsonValue, Name, ReleaseName, Timestamp } from "./json-value.js";
import { ReleaseManifest } from "./release-manifest.js";

/** Fields every event has. */
const Envelope = {
  /** 1-based line number in the log. */
  seq: z.int().positive(),
  /** Digest of the previous line's bytes; null on the first line. */
  prev: DigestString.nullable(),
  at: Timestamp,
  /** Who caused it (SLUICE_ACTOR, GITHUB_ACTOR, git user.name). */
  actor: z.string().min(1),
  project: Name,
};

/** The decisions the registry records (gated promotion now, monitoring later). */
export const DecisionKind = z.enum(["canary_open", "hold", "promote", "pause", "abort", "rollback", "warn", "retrain"]);
export type DecisionKind = z.output<typeof DecisionKind>;

/** Why an alias moved. */
export const MoveCause = z.enum(["canary_open", "promote", "rollback", "abort", "manual"]);
export type MoveCause = z.output<typeof MoveCause>;

export const ReleaseRegistered = z.strictObject({
  ...Envelope,
  type: z.literal("release_registered"),
  release: ReleaseName,
  /** Digest of the manifest's canonical JSON (also stored, pinned, in the object store). */
  manifestDigest: DigestString,
  /** Digest of the tuple alone (no name, no lineage): equal tuples are one release. */
  tupleDigest: DigestString,
  manifest: ReleaseManifest,
});

export const AliasMoved = z.strictObject({
  ...Envelope,
  type: z.literal("alias_moved"),
  alias: AliasName,
  /** The release the alias left (null: it was unset). Compare-and-swap checks it. */
  from: ReleaseName.nullable(),
  /** The release it now holds (null: cleared, e.g. an aborted canary). */
  to: ReleaseName.nullable(),
  cause: MoveCause,
  reason: z.string(),
});

export const Decision = z.strictObject({
  ...Envelope,
  type: z.literal("decision"),
  decision: DecisionKind,
  release: ReleaseName.nullable(),
  /** Sorted names of failed or missing gates (hold), breached guardrails, fired rules. */
  failed: z.array(z.string()),
  reason: z.string(),
  evidence: z.record(z.string(), JsonValue),
  /** Idempotency key: a decision with a key already in the log is not appended again. */
  key: z.string().nullable(),
});

/**
 * The approver's SSH signature (`ssh-keygen -Y sign`, namespace
 * `sluice-approval`) over the approval's payload: project, release, the
 * release's manifest digest, role, by, note and `signedAt`. Only the
 * signature is stored; the payload is rebuilt from the event and the
 * registered release when it is checked, so changing any of them breaks it.
 */
export const ApprovalSignature = z
  .strictObject({
    /** When the approver signed (checked against the signer's validity in allowed_signers). */
    signedAt: Timestamp,
    /** The armored SSH signature (`-----BEGIN SSH SIGNATURE-----`). */
    sshsig: z.string().min(1).max(16_384),
  })
  .meta({ id: "ApprovalSignature" });

export const Approval = z.strictObject({
  ...Envelope,
  type: z.literal("approval"),
  release: ReleaseName,
  role: Name,
  /** The approver's name as typed; the key that signed, not this name, is what counts. */
  by: z.string().min(1),
  note: z.string(),
  /** Absent on approvals recorded before approvals were signed (or written by hand): they never count. */
  signature: ApprovalSignature.optional(),
});

export const Rollback = z.strictObject({
  ...Envelope,
  type: z.literal("rollback"),
  alias: AliasName,
  from: ReleaseName,
  to: ReleaseName,
  reason: z.string(),
});

/** Any registry event. */
export const RegistryEvent = z
  .discriminatedUnion("type", [ReleaseRegistered, AliasMoved, Decision, Approval, Rollback])
  .meta({ id: "RegistryEvent", title: "sluice registry event" });

export type RegistryEvent = z.output<typeof RegistryEvent>;
export type ReleaseRegistered = z.output<typeof ReleaseRegistered>;
export type AliasMoved = z.output<typeof AliasMoved>;
export type Decision = z.output<typeof Decision>;
export type Approval = z.output<typeof Approval>;
export type ApprovalSignature = z.output<typeof ApprovalSignature>;
export type Rollback = z.output<typeof Rollback>;
/** The event types, as the `type` field spells them. */
export type RegistryEventType = RegistryEvent["type"];
