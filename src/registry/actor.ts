/**
 * Who is acting: `SLUICE_ACTOR`, then `GITHUB_ACTOR` (CI), then the git
 * user, then the login name. Every event records it; separation of duties
 * compares it with the release's creator.
 */
import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";

/** The identity recorded on events written from this process. */
export function currentActor(cwd: string = process.cwd()): string {
  const fromEnv = process.env["SLUICE_ACTOR"]?.trim() || process.env["GITHUB_ACTOR"]?.trim();
  if (fromEnv) return fromEnv;
  const fromGit = gitOutput(["config", "user.name"], cwd);
  if (fromGit) return fromGit;
  try {
    return userInfo().username || "unknown";
  } catch {
    return "unknown"; // no passwd entry (some containers)
  }
}

/** The workspace's commit, or null outside git (or with no commit yet). */
export function pipelineCommit(root: string): string | null {
  return gitOutput(["rev-parse", "--verify", "--quiet", "HEAD"], root) ?? null;
}

function gitOutput(args: readonly string[], cwd: string): string | undefined {
  try {
    const out = execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5_000 }).trim();
    return out === "" ? undefined : out;
  } catch {
    return undefined;
  }
}
