/** The lines `promote`, `rollback` and `approve` print for people (their `--json` is the operation's document). */

/** `eta@production: eta_v1 -> eta_v2`, or that it already held it. */
export function renderPromotion(move: { project: string; alias: string; from: string | null; to: string | null; moved: boolean }): string {
  return move.moved ? `${move.project}@${move.alias}: ${move.from ?? "(unset)"} -> ${move.to}` : `${move.project}@${move.alias} already holds ${move.to}`;
}

export function renderRollback(rollback: { project: string; alias: string; from: string | null; to: string | null; reason: string; aliasFile: string }): string {
  return `${rollback.project}@${rollback.alias}: ${rollback.from ?? "(unset)"} -> ${rollback.to} (rolled back: ${rollback.reason}); ${rollback.aliasFile} restored`;
}

export function renderApproval(approval: {
  recorded: boolean;
  project: string;
  release: string;
  role: string;
  by: string;
  key: string | null;
  signer: readonly string[];
  missingForProduction: readonly string[];
}): string {
  const still = approval.missingForProduction.length > 0 ? `; production still needs ${approval.missingForProduction.join(", ")}` : "; production approvals complete";
  return (
    `${approval.recorded ? "approved" : "already approved"}: ${approval.project} ${approval.release} as ${approval.role} by ${approval.by}` +
    ` (key ${approval.key ?? "?"}, ${approval.signer.join(", ")} in the allowed signers)${still}`
  );
}
