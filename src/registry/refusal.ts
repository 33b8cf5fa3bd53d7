/**
 * Why the registry refused an operation. Refusals are values (the registry
 * is untouched when one is returned); the CLI renders them and picks the
 * exit code: a name that does not exist is a usage error (2), a rule that
 * says no is a refusal (1).
 */
import { POLICY_FILE } from "./policy.js";

/** Every refusal, keyed by a kebab-case reason. */
export type RegistryRefusal =
  | {
      readonly reason: "invalid-name";
      readonly kind: "project" | "alias" | "release";
      /** The name as given. */
      readonly value: string;
      /** The rule it breaks. */
      readonly rule: string;
    }
  | { readonly reason: "unknown-project"; readonly project: string; readonly known: readonly string[] }
  | { readonly reason: "unknown-release"; readonly project: string; readonly release: string; readonly known: readonly string[] }
  | { readonly reason: "unknown-alias"; readonly project: string; readonly alias: string }
  | { readonly reason: "unknown-role"; readonly project: string; readonly role: string; readonly known: readonly string[] }
  | {
      readonly reason: "stale-alias";
      readonly project: string;
      readonly alias: string;
      /** What the caller believed the alias held. */
      readonly expected: string | null;
      /** What it actually holds. */
      readonly actual: string | null;
    }
  | { readonly reason: "gates-failed"; readonly project: string; readonly release: string; readonly failed: readonly string[] }
  | {
      readonly reason: "missing-approvals";
      readonly project: string;
      readonly release: string;
      readonly alias: string;
      /** Roles with no qualifying approval, sorted. */
      readonly missing: readonly string[];
      /** Recorded approvals of those roles that did not count, each with why. */
      readonly discounted: readonly { readonly role: string; readonly by: string; readonly why: string }[];
    }
  | {
      readonly reason: "no-signers";
      readonly project: string;
      readonly role: string;
      /** The allowed_signers file named but empty or missing; undefined when the policy names none. */
      readonly file: string | undefined;
    }
  | {
      readonly reason: "approval-not-verified";
      readonly project: string;
      readonly release: string;
      readonly role: string;
      readonly by: string;
      readonly why: string;
    }
  | { readonly reason: "signing-failed"; readonly message: string }
  | { readonly reason: "no-earlier-release"; readonly project: string; readonly alias: string; readonly current: string | null }
  | { readonly reason: "not-known-good"; readonly project: string; readonly release: string; readonly why: string }
  | { readonly reason: "no-policy"; readonly project: string; readonly file: string }
  | { readonly reason: "bad-policy"; readonly file: string; readonly message: string };

/** Refusals that mean the command named something that does not exist. */
export function isUsageRefusal(refusal: RegistryRefusal): boolean {
  switch (refusal.reason) {
    case "invalid-name":
    case "unknown-project":
    case "unknown-release":
    case "unknown-alias":
    case "unknown-role":
    case "no-policy":
    case "bad-policy":
    case "no-signers":
    case "signing-failed":
      return true;
    default:
      return false;
  }
}

/** One line saying what was refused and why, naming every value involved. */
export function describeRefusal(refusal: RegistryRefusal): string {
  switch (refusal.reason) {
    case "invalid-name":
      return `${JSON.stringify(refusal.value)} is not a valid ${refusal.kind} name (${refusal.rule})`;
    case "unknown-project":
      return `no releases or policy for project "${refusal.project}"${known(refusal.known)}`;
    case "unknown-release":
      return `${refusal.project} has no release "${refusal.release}"${known(refusal.known)}`;
    case "unknown-alias":
      return `${refusal.project}@${refusal.alias} points at no release`;
    case "unknown-role":
      return `role "${refusal.role}" is not named by ${refusal.project}'s promotion policy${known(refusal.known)}`;
    case "stale-alias":
      return `${refusal.project}@${refusal.alias} moved: expected ${show(refusal.expected)} but it now holds ${show(refusal.actual)}; nothing was changed`;
    case "gates-failed":
      return `${refusal.release} did not pass its gates (failed: ${refusal.failed.join(", ")}); it can never move ${refusal.project}'s aliases`;
    case "missing-approvals": {
      const discounted = refusal.discounted.map((d) => `${d.role} by ${d.by}: ${d.why}`).join("; ");
      const why = discounted ? ` (not counted: ${discounted})` : "";
      // With one role missing the hint is the whole command, ready to run.
      const role = refusal.missing.length === 1 ? refusal.missing[0] : "<role>";
      return `${refusal.project}@${refusal.alias} -> ${refusal.release} needs approval by role ${refusal.missing.join(", ")}${why}; run \`sluice approve ${refusal.project} ${refusal.release} --role ${role}\``;
    }
    case "no-signers":
      return `${
        refusal.file === undefined
          ? `${POLICY_FILE} names no allowed signers for role ${refusal.role} of ${refusal.project}`
          : `${refusal.file}, the allowed signers of role ${refusal.role} of ${refusal.project}, lists no keys`
      }: approvals are signed with SSH keys and count only when the key is listed. Add an allowed_signers file to the repository ` +
        `with one "<name> <public key>" line per approver (echo "bob@example.com $(cat ~/.ssh/id_ed25519.pub)" >> contracts/allowed_signers/${refusal.role}), ` +
        `have it reviewed like code, and name it in ${POLICY_FILE} under projects.${refusal.project}.allowedSigners.${refusal.role}`;
    case "approval-not-verified":
      return `approval of ${refusal.project} ${refusal.release} as ${refusal.role} by ${refusal.by} refused: ${refusal.why}`;
    case "signing-failed":
      return refusal.message;
    case "no-earlier-release":
      return `${refusal.project}@${refusal.alias} has no earlier known-good release to roll back to (it holds ${show(refusal.current)})`;
    case "not-known-good":
      return `cannot roll back to ${refusal.release}: ${refusal.why}`;
    case "no-policy":
      return `${refusal.file} has no policy for project "${refusal.project}"`;
    case "bad-policy":
      return `${refusal.file}: ${refusal.message}`;
  }
}

function show(release: string | null): string {
  return release ?? "nothing";
}

function known(names: readonly string[]): string {
  return names.length > 0 ? ` (known: ${names.join(", ")})` : "";
}
