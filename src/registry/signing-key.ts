/**
 * Which SSH key signs an approval: `--key`, then `SLUICE_SIGNING_KEY`,
 * then git's `user.signingkey` (the key git signs commits with, so an
 * approver set up for signed commits needs nothing more). A public key
 * (`.pub`, or git's `key::ssh-ed25519 …` literal) signs through ssh-agent,
 * as in git.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { fail, ok, type Result } from "../util/result.js";

/** The environment variable naming the signing key. */
export const SIGNING_KEY_ENV = "SLUICE_SIGNING_KEY";

/** A key to sign with: a file, or a literal public key whose private half is in ssh-agent. */
export type SigningKey = { readonly file: string; readonly from: string } | { readonly literal: string; readonly from: string };

/** The signing key, or one line saying how to name one. */
export function resolveSigningKey(flag: string | undefined, cwd: string): Result<SigningKey, string> {
  const fromEnv = process.env[SIGNING_KEY_ENV]?.trim();
  const fromGit = flag || fromEnv ? undefined : gitSigningKey(cwd);
  const [value, from] = flag ? [flag, "--key"] : fromEnv ? [fromEnv, SIGNING_KEY_ENV] : fromGit ? [fromGit, "git config user.signingkey"] : [undefined, ""];
  if (value === undefined) {
    return fail(
      `no SSH key to sign the approval with: pass --key <private key file>, set ${SIGNING_KEY_ENV}, or set git's user.signingkey ` +
        "(git config user.signingkey ~/.ssh/id_ed25519.pub); its public key must be listed in the role's allowed_signers file",
    );
  }
  if (value.startsWith("key::")) return ok({ literal: value.slice("key::".length).trim(), from });
  if (/^ssh-[a-z0-9-]+ |^ecdsa-sha2-|^sk-/.test(value)) return ok({ literal: value, from });
  const file = expandHome(value, cwd);
  if (!existsSync(file)) return fail(`the signing key ${value} (from ${from}) does not exist`);
  return ok({ file, from });
}

function expandHome(path: string, cwd: string): string {
  if (path === "~" || path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function gitSigningKey(cwd: string): string | undefined {
  try {
    const out = execFileSync("git", ["config", "--get", "user.signingkey"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5_000 });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}
