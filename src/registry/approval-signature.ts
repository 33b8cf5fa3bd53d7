/**
 * Signed approvals. `sluice approve` signs a payload that binds project,
 * release, the release's manifest digest, role, the typed name, the note
 * and the signing time; promote, verify and lineage rebuild that payload
 * from the event and the registered release and count the approval only
 * when its signature verifies against the allowed_signers file the policy
 * names for the role. An approval appended by hand, or edited after it was
 * signed, therefore does not count, whatever chain and head surround it.
 */
import { readFile, rm, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Approval, ApprovalSignature, ProjectPolicy } from "../../contracts/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import { fail, ok, type Result } from "../util/result.js";
import { POLICY_FILE } from "./policy.js";
import type { RegistryRefusal } from "./refusal.js";
import type { RegistryState } from "./registry-state.js";
import type { SigningKey } from "./signing-key.js";
import { sshSign, sshVerify } from "./ssh-signature.js";

/** What an approver vouches for. */
export interface ApprovalClaim {
  readonly project: string;
  readonly release: string;
  /** Digest of the release's manifest: the approval is of these bytes, not of a name. */
  readonly manifestDigest: string;
  readonly role: string;
  readonly by: string;
  readonly note: string;
  readonly signedAt: string;
}

/** The exact bytes signed for `claim`. */
export function approvalPayload(claim: ApprovalClaim): string {
  const { project, release, manifestDigest, role, by, note, signedAt } = claim;
  return canonicalJson({ format: "sluice-approval/1", project, release, manifestDigest, role, by, note, signedAt });
}

/** Signs `claim` with `key` (ssh-keygen; a literal public key signs through ssh-agent). */
export async function signApproval(claim: ApprovalClaim, key: SigningKey): Promise<ApprovalSignature> {
  const payload = approvalPayload(claim);
  if ("file" in key) return { signedAt: claim.signedAt, sshsig: await sshSign(payload, key.file) };
  const dir = await mkdtemp(join(tmpdir(), "sluice-key-"));
  try {
    const file = join(dir, "key.pub");
    await writeFile(file, `${key.literal}\n`);
    return { signedAt: claim.signedAt, sshsig: await sshSign(payload, file) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The allowed_signers file of one role, checked to exist and to list at least one key. */
export interface RoleSigners {
  readonly file: string;
  /** Workspace-relative, for messages. */
  readonly shown: string;
}

/** The signers file the policy names for `role`, or why there is none. */
export async function roleSigners(root: string, policy: ProjectPolicy, project: string, role: string): Promise<Result<RoleSigners, RegistryRefusal>> {
  const named = policy.allowedSigners?.[role];
  if (named === undefined) return fail({ reason: "no-signers", project, role, file: undefined });
  const file = resolve(root, named);
  const inside = relative(root, file);
  if (isAbsolute(named) || inside.startsWith("..") || isAbsolute(inside)) {
    return fail({ reason: "bad-policy", file: POLICY_FILE, message: `projects.${project}.allowedSigners.${role}: ${named} is not a file inside the workspace` });
  }
  const text = await readFile(file, "utf8").catch(() => undefined);
  const keys = text?.split("\n").filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#")) ?? [];
  if (keys.length === 0) return fail({ reason: "no-signers", project, role, file: inside });
  return ok({ file, shown: inside });
}

/** Whether one recorded approval counts, and why not when it does not. */
export type ApprovalCheck =
  | {
      readonly approval: Approval;
      readonly counted: true;
      /** The signing key (`SHA256:…`): separation of duties compares these. */
      readonly fingerprint: string;
      /** The names allowed_signers gives that key. */
      readonly principals: readonly string[];
    }
  | { readonly approval: Approval; readonly counted: false; readonly fingerprint: string | undefined; readonly why: string };

/** Checks each approval's signature against its role's signers (one ssh-keygen pair per approval). */
export async function checkApprovals(
  root: string,
  policy: ProjectPolicy | undefined,
  state: RegistryState,
  approvals: readonly Approval[],
): Promise<ApprovalCheck[]> {
  return Promise.all(approvals.map((approval) => checkApproval(root, policy, state, approval)));
}

async function checkApproval(root: string, policy: ProjectPolicy | undefined, state: RegistryState, approval: Approval): Promise<ApprovalCheck> {
  const rejected = (why: string, fingerprint?: string): ApprovalCheck => ({ approval, counted: false, fingerprint, why });
  if (!approval.signature) return rejected("unsigned (only approvals signed with `sluice approve` count)");
  if (!policy) return rejected(`${POLICY_FILE} has no policy for project ${approval.project}`);
  const record = state.release(approval.project, approval.release);
  if (!record) return rejected(`${approval.release} is not a registered release`);
  const signers = await roleSigners(root, policy, approval.project, approval.role);
  if (!signers.ok) return rejected(signersProblem(signers.error));
  const claim = { ...approval, manifestDigest: record.manifestDigest, signedAt: approval.signature.signedAt };
  const verdict = await sshVerify(approvalPayload(claim), approval.signature.sshsig, signers.value.file, signers.value.shown, claim.signedAt);
  return verdict.ok
    ? { approval, counted: true, fingerprint: verdict.fingerprint, principals: verdict.principals }
    : rejected(verdict.why, verdict.fingerprint);
}

function signersProblem(refusal: RegistryRefusal): string {
  if (refusal.reason === "no-signers") {
    return refusal.file === undefined ? `the policy names no allowed signers for role ${refusal.role}` : `${refusal.file} lists no keys`;
  }
  return refusal.reason === "bad-policy" ? refusal.message : refusal.reason;
}
