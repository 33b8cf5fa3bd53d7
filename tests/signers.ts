/**
 * Approvers with real SSH keys, made in the test (`ssh-keygen -t ed25519`),
 * and the allowed_signers files a workspace's policy names for its roles.
 * Keys live in one temp folder per test process and are made on first use.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The people tests approve as, each listed for every role unless a test says otherwise. */
export const CAST = ["alice", "bob", "carol", "dave", "erin", "frank", "ci", "lead", "release-bot"] as const;

/**
 * Child processes of a test (a promoter run with tsx) inherit its keys through
 * this variable; not named SLUICE_*, which cliEnv keeps from every child.
 */
const KEY_DIR_ENV = "TEST_SIGNERS_KEY_DIR";
let keyDir: string | undefined = process.env[KEY_DIR_ENV];

/** Path of `name`'s private key (ed25519, no passphrase), made on first use. */
export function keyOf(name: string): string {
  if (keyDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "sluice-test-keys-"));
    keyDir = dir;
    process.env[KEY_DIR_ENV] = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(keyDir, name.replace(/[^A-Za-z0-9_.-]/g, "_"));
  if (!existsSync(file)) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file], { stdio: "ignore" });
  return file;
}

/** `name`'s public key as allowed_signers wants it: `<type> <base64>`. */
export function publicKeyOf(name: string): string {
  return readFileSync(`${keyOf(name)}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
}

/** The environment that makes `sluice approve` sign with `name`'s key. */
export function signingEnv(name: string): Record<string, string> {
  return { SLUICE_SIGNING_KEY: keyOf(name) };
}

/** A `SigningKey` for the registry API. */
export function signingKey(name: string): { readonly file: string; readonly from: string } {
  return { file: keyOf(name), from: "test" };
}

/** Workspace-relative allowed_signers file of a role. */
export function signersFile(role: string): string {
  return `contracts/allowed_signers/${role}`;
}

/** `{ role: file }` for the policy's `allowedSigners`. */
export function allowedSignersFor(roles: readonly string[]): Record<string, string> {
  return Object.fromEntries(roles.map((role) => [role, signersFile(role)]));
}

/** The text of an allowed_signers file listing `names`. */
export function signersText(role: string, names: readonly string[]): string {
  return `# who may approve as ${role}\n${names.map((name) => `${name} ${publicKeyOf(name)}\n`).join("")}`;
}

/** Workspace files (path -> text) of the allowed_signers of `roles`, each listing `names`. */
export function signerFiles(roles: readonly string[], names: readonly string[] = CAST): Record<string, string> {
  return Object.fromEntries(roles.map((role) => [signersFile(role), signersText(role, names)]));
}

/** Writes the allowed_signers file of `role` in `root`, listing `names`. */
export function writeSigners(root: string, role: string, names: readonly string[]): void {
  mkdirSync(join(root, "contracts", "allowed_signers"), { recursive: true });
  writeFileSync(join(root, signersFile(role)), signersText(role, names));
}

/**
 * Names an allowed_signers file for every role of every project in the
 * workspace's policy (contracts/promotion_policy.json) and writes each
 * listing `names` (default: the whole cast).
 */
export function installSigners(root: string, names: readonly string[] = CAST, policyFile = join(root, "contracts", "promotion_policy.json")): void {
  const policy = JSON.parse(readFileSync(policyFile, "utf8")) as { projects: Record<string, { approvals: Record<string, { roles: string[] }>; allowedSigners?: Record<string, string> }> };
  const roles = new Set<string>();
  for (const project of Object.values(policy.projects)) {
    const own = [...new Set(Object.values(project.approvals).flatMap((rule) => rule.roles))];
    project.allowedSigners = allowedSignersFor(own);
    for (const role of own) roles.add(role);
  }
  writeFileSync(policyFile, `${JSON.stringify(policy, null, 2)}\n`);
  for (const role of roles) writeSigners(root, role, names);
}

/** Who approves each of the test policies' roles: one person per role, so separation of duties holds. */
export function approverFor(role: string): string {
  return ({ ml_lead: "bob", risk: "carol", trust_safety: "dave", planning_lead: "bob", ops_review: "erin" } as Record<string, string>)[role] ?? "frank";
}
