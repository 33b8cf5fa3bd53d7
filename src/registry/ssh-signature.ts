/**
 * SSH signatures through `ssh-keygen -Y`, as git's SSH commit signing uses
 * them: `sign` with the approver's key, `find-principals` and `verify`
 * against an allowed_signers file. The key's fingerprint is read from the
 * signature blob itself (SSHSIG format), so the same key always yields the
 * same fingerprint whatever name was typed beside it.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The signature namespace: a signature made for anything else (git commits, files) never passes as an approval. */
export const APPROVAL_NAMESPACE = "sluice-approval";

/** ssh-keygen is local and fast; a minute means it waits for something (a passphrase nobody will type). */
const SSH_KEYGEN_TIMEOUT_MS = 60_000;

/** Thrown when ssh-keygen cannot sign: no such key, a key it cannot read, ssh-keygen missing. */
export class SigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningError";
  }
}

/** Signs `payload` with the private key (or, for a public key, its ssh-agent twin) at `keyFile`. */
export async function sshSign(payload: string, keyFile: string): Promise<string> {
  const out = await sshKeygen(["-Y", "sign", "-n", APPROVAL_NAMESPACE, "-f", keyFile], payload);
  if (out.code !== 0 || !out.stdout.includes("BEGIN SSH SIGNATURE")) {
    const why = lastLine(out.stderr) || `ssh-keygen exited with ${out.code}`;
    throw new SigningError(`cannot sign with ${keyFile}: ${why}`);
  }
  return out.stdout.trim();
}

/** The outcome of checking one signature against an allowed_signers file. */
export type SignatureCheck =
  | { readonly ok: true; readonly fingerprint: string; readonly principals: readonly string[] }
  | { readonly ok: false; readonly fingerprint: string | undefined; readonly why: string };

/**
 * Checks that `sshsig` signs `payload` in the approval namespace with a key
 * `signersFile` lists and that was valid at `signedAt` (the file's
 * valid-after / valid-before options, as for git). `shownFile` names the
 * file in messages.
 */
export async function sshVerify(payload: string, sshsig: string, signersFile: string, shownFile: string, signedAt: string): Promise<SignatureCheck> {
  const fingerprint = signatureFingerprint(sshsig);
  if (fingerprint === undefined) return { ok: false, fingerprint, why: "the signature is not an SSH signature" };
  const dir = await mkdtemp(join(tmpdir(), "sluice-sig-"));
  try {
    const sigFile = join(dir, "approval.sig");
    await writeFile(sigFile, `${sshsig}\n`);
    const time = `-Overify-time=${verifyTime(signedAt)}`;
    const found = await sshKeygen(["-Y", "find-principals", "-s", sigFile, "-f", signersFile, time], "");
    const principals = found.code === 0 ? found.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "") : [];
    if (principals.length === 0) return { ok: false, fingerprint, why: `key ${fingerprint} is not an allowed signer in ${shownFile}` };
    // Any listed principal of the key will do: verify proves the key signed these very bytes.
    const verified = await sshKeygen(["-Y", "verify", "-f", signersFile, "-I", principals[0] as string, "-n", APPROVAL_NAMESPACE, "-s", sigFile, time], payload);
    if (verified.code !== 0) {
      return { ok: false, fingerprint, why: "the signature does not match the approval (changed after it was signed, or made for another release, role or namespace)" };
    }
    return { ok: true, fingerprint, principals };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `SHA256:<base64>` of the public key inside an armored SSHSIG, or
 * undefined when the text is not one. Layout: "SSHSIG", uint32 version,
 * string publickey, string namespace, string reserved, string hash, string signature.
 */
export function signatureFingerprint(sshsig: string): string | undefined {
  const match = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(sshsig);
  if (!match) return undefined;
  const blob = Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64");
  if (blob.length < 14 || blob.subarray(0, 6).toString("latin1") !== "SSHSIG") return undefined;
  const length = blob.readUInt32BE(10);
  if (length === 0 || 14 + length > blob.length) return undefined;
  const key = blob.subarray(14, 14 + length);
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** ISO time -> ssh-keygen's `YYYYMMDDHHMMSSZ`. */
function verifyTime(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-T:]/g, "")}Z`;
}

function lastLine(text: string): string {
  return text.trim().split("\n").filter((l) => !/^Signing data on standard input/.test(l)).at(-1) ?? "";
}

function sshKeygen(args: readonly string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile("ssh-keygen", args, { timeout: SSH_KEYGEN_TIMEOUT_MS, encoding: "utf8", maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new SigningError("ssh-keygen was not found on PATH (OpenSSH 8.2 or later signs and checks approvals)"));
        return;
      }
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    // ssh-keygen may exit before reading its input (a missing key): that is its answer, not an error here.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input);
  });
}
