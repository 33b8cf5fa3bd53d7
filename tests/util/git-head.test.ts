/**
 * readGitHead against real repositories: whatever layout git leaves, the
 * commit read from the files is the one `git rev-parse HEAD` prints, or the
 * reader says it is unsure (and the run history asks git).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readGitHead } from "../../src/util/git-head.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();
}

/** A repository with two commits on main. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), "sluice-git-head-"));
  folders.push(root);
  git(root, "init", "-q");
  for (const n of [1, 2]) {
    writeFileSync(join(root, "file.txt"), `${n}\n`);
    git(root, "add", "file.txt");
    git(root, "commit", "-q", "-m", `commit ${n}`);
  }
  return root;
}

const NO_GIT_ENV = {};

describe("readGitHead", () => {
  it("reads a branch's loose ref, and the same commit from a subfolder", () => {
    const root = repository();
    expect(readGitHead(root, NO_GIT_ENV)).toBe(git(root, "rev-parse", "HEAD"));
    const sub = join(root, "projects");
    execFileSync("mkdir", [sub]);
    expect(readGitHead(sub, NO_GIT_ENV)).toBe(git(root, "rev-parse", "HEAD"));
  });

  it("reads packed refs once git has packed them", () => {
    const root = repository();
    git(root, "pack-refs", "--all");
    expect(readGitHead(root, NO_GIT_ENV)).toBe(git(root, "rev-parse", "HEAD"));
  });

  it("reads a detached HEAD", () => {
    const root = repository();
    git(root, "checkout", "-q", "--detach", "HEAD~1");
    expect(readGitHead(root, NO_GIT_ENV)).toBe(git(root, "rev-parse", "HEAD"));
  });

  it("reads a linked worktree's own HEAD, not the main checkout's", () => {
    const root = repository();
    const tree = join(root, "..", `${root.split("/").pop()}-tree`);
    folders.push(tree);
    git(root, "worktree", "add", "-q", "-b", "side", tree, "HEAD~1");
    git(root, "pack-refs", "--all");
    expect(readGitHead(tree, NO_GIT_ENV)).toBe(git(tree, "rev-parse", "HEAD"));
    expect(readGitHead(tree, NO_GIT_ENV)).not.toBe(readGitHead(root, NO_GIT_ENV));
  });

  it("says there is no commit outside a repository, and is unsure where git would be told to look elsewhere", () => {
    const outside = mkdtempSync(join(tmpdir(), "sluice-git-head-"));
    folders.push(outside);
    expect(readGitHead(outside, NO_GIT_ENV)).toBeUndefined();
    expect(readGitHead(repository(), { GIT_DIR: "/elsewhere/.git" })).toBe("unsure");
  });

  it("is unsure on a branch with no commit yet (git answers that)", () => {
    const root = mkdtempSync(join(tmpdir(), "sluice-git-head-"));
    folders.push(root);
    git(root, "init", "-q");
    expect(readGitHead(root, NO_GIT_ENV)).toBe("unsure");
  });
});
