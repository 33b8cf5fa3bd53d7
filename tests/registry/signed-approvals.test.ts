/**
 * Approvals end to end through the CLI, with SSH keys made in the test:
 * only a key the role's allowed_signers lists can approve, an approval
 * appended by hand with the chain and head recomputed counts nowhere, and
 * a head record deleted after an edit stops every writer until the log is
 * re-anchored on a trusted copy.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { encodeEvent, lineDigest, type ChainHead } from "../../src/registry/index.js";
import type { RegistryEvent } from "../../contracts/index.js";
import { keyOf } from "../signers.js";
import { sluice } from "./cli.js";
import { candidate, LINEAGE, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

/** A workspace where alice's promote stage registered eta_v1 (canary). */
async function registered(): Promise<string> {
  ws = await tempWorkspace();
  const alice = await ws.open("alice");
  await alice.submitCandidate({ candidate: await candidate(ws), lineage: LINEAGE, policy });
  return ws.root;
}

function logLines(root: string): string[] {
  return readFileSync(join(root, "registry", "releases.jsonl"), "utf8").trimEnd().split("\n");
}

/** Appends `event` as the next line with a correct `prev`, and rewrites head.json to match: what a hand forger does. */
function forge(root: string, event: Omit<Extract<RegistryEvent, { type: "approval" }>, "seq" | "prev">): void {
  const lines = logLines(root);
  const line = encodeEvent({ ...event, seq: lines.length + 1, prev: lineDigest(lines.at(-1) as string) });
  appendFileSync(join(root, "registry", "releases.jsonl"), `${line}\n`);
  const head: ChainHead = { seq: lines.length + 1, digest: lineDigest(line) };
  writeFileSync(join(root, "registry", "head.json"), `${JSON.stringify(head)}\n`);
}

describe("signed approvals through the CLI", () => {
  it("moves production once listed signers approved every role with their own keys", async () => {
    const root = await registered();
    const bob = await sluice(root, ["approve", "eta", "eta_v1", "--role", "ml_lead", "--json"], "bob");
    expect(bob.code, bob.stderr).toBe(0);
    expect(JSON.parse(bob.stdout)).toMatchObject({ ok: true, recorded: true, by: "bob", signer: ["bob"], key: expect.stringMatching(/^SHA256:/) });
    expect((await sluice(root, ["promote", "eta", "eta_v1", "--to", "production"], "alice")).code).toBe(1);
    const carol = await sluice(root, ["approve", "eta", "eta_v1", "--role", "risk", "--key", keyOf("carol")], "carol", { SLUICE_SIGNING_KEY: "" });
    expect(carol.code, carol.stderr).toBe(0);
    const promoted = await sluice(root, ["promote", "eta", "eta_v1", "--to", "production"], "alice");
    expect(promoted.code, promoted.stderr).toBe(0);
    const verified = await sluice(root, ["verify"], "alice");
    expect(verified.code, verified.stdout).toBe(0);
    const lineage = await sluice(root, ["lineage", "eta", "@production"], "alice");
    expect(lineage.stdout).toMatch(/ml_lead by bob at \S+ +signed by bob \(key SHA256:/);
  });

  it("refuses `--by` someone else signed with a key no allowed_signers lists, exit 1, nothing written", async () => {
    const root = await registered();
    const before = readFileSync(join(root, "registry", "releases.jsonl"), "utf8");
    const out = await sluice(root, ["approve", "eta", "eta_v1", "--role", "ml_lead", "--by", "bob"], "mallory");
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^error: approval of eta eta_v1 as ml_lead by bob refused: key SHA256:\S+ is not an allowed signer in contracts\/allowed_signers\/ml_lead/);
    expect(readFileSync(join(root, "registry", "releases.jsonl"), "utf8")).toBe(before);
  });

  it("says how to name a signing key when none is configured (exit 2)", async () => {
    const root = await registered();
    const out = await sluice(root, ["approve", "eta", "eta_v1", "--role", "ml_lead"], "bob", { SLUICE_SIGNING_KEY: "", HOME: root, GIT_CONFIG_NOSYSTEM: "1" });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/no SSH key to sign the approval with: pass --key .*SLUICE_SIGNING_KEY.*user\.signingkey/);
  });

  it("counts no approval appended by hand with its chain and head recomputed, in promote, verify or lineage", async () => {
    const root = await registered();
    expect((await sluice(root, ["approve", "eta", "eta_v1", "--role", "ml_lead"], "bob")).code).toBe(0);
    const signed = JSON.parse(logLines(root).at(-1) as string) as Extract<RegistryEvent, { type: "approval" }>;
    const at = new Date().toISOString();
    // An unsigned approval, and bob's genuine signature replayed onto another role.
    forge(root, { type: "approval", project: "eta", release: "eta_v1", role: "risk", by: "carol", note: "", at, actor: "carol" });
    forge(root, { type: "approval", project: "eta", release: "eta_v1", role: "risk", by: "bob", note: "", at, actor: "bob", signature: signed.signature! });
    const [unsigned, replayed] = [logLines(root).length - 1, logLines(root).length];

    const promoted = await sluice(root, ["promote", "eta", "eta_v1", "--to", "production"], "alice");
    expect(promoted.code).toBe(1);
    expect(promoted.stderr).toMatch(/needs approval by role risk \(not counted: risk by carol: unsigned .*; risk by bob: the signature does not match the approval/);

    const verified = await sluice(root, ["verify", "--json"], "alice");
    expect(verified.code).toBe(1);
    const problems = (JSON.parse(verified.stdout) as { registry: { problems: { reason: string; line: number }[] } }).registry.problems;
    expect(problems.filter((p) => p.reason === "approval-not-counted").map((p) => p.line)).toEqual([unsigned, replayed]);

    const lineage = await sluice(root, ["lineage", "eta", "eta_v1", "--json"], "alice");
    expect(lineage.code).toBe(0);
    const approvals = (JSON.parse(lineage.stdout) as { approvals: { role: string; by: string; counted: boolean; why?: string }[] }).approvals;
    expect(approvals.map((a) => [a.role, a.by, a.counted])).toEqual([
      ["ml_lead", "bob", true],
      ["risk", "carol", false],
      ["risk", "bob", false],
    ]);
    expect((await sluice(root, ["lineage", "eta", "eta_v1"], "alice")).stdout).toMatch(/risk by carol at \S+ +NOT COUNTED: unsigned/);
  });
});

describe("an anchored head", () => {
  function git(root: string, ...args: string[]): string {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
  }

  it("is written before the first line, so a brand-new registry works and a later missing head is never taken for a crash", async () => {
    const root = await registered();
    expect(JSON.parse(readFileSync(join(root, "registry", "head.json"), "utf8"))).toMatchObject({ seq: logLines(root).length });
  });

  it("stops every writer when head.json is deleted after an edit of the last line, until `registry anchor --from-git` re-anchors it", async () => {
    const root = await registered();
    git(root, "init", "-q");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "registry as reviewed");
    const log = join(root, "registry", "releases.jsonl");
    const committed = readFileSync(log, "utf8");
    // Rewrite the last line (the canary move's reason) and drop the head that would betray it.
    writeFileSync(log, committed.replace(/"reason":"[^"]*"(?=[^\n]*\n$)/, '"reason":"nothing to see"'));
    rmSync(join(root, "registry", "head.json"));
    const edited = readFileSync(log, "utf8");
    expect(edited).not.toBe(committed);

    const writer = await sluice(root, ["approve", "eta", "eta_v1", "--role", "ml_lead"], "bob");
    expect(writer.code).toBe(1);
    expect(writer.stderr).toMatch(/head\.json is missing, so nothing vouches for the last of the \d+ lines .*nothing was written.*sluice registry anchor --from-git <commit>/);
    expect(readFileSync(log, "utf8")).toBe(edited);

    const refused = await sluice(root, ["registry", "anchor", "--from-git", "HEAD"], "bob");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`line ${logLines(root).length} differs from commit \\w+'s`));

    writeFileSync(log, committed);
    const anchored = await sluice(root, ["registry", "anchor", "--from-git", "HEAD"], "bob");
    expect(anchored.code, anchored.stderr).toBe(0);
    expect(anchored.stdout).toMatch(/anchored registry\/releases\.jsonl at line \d+ on commit \w+/);
    expect((await sluice(root, ["approve", "eta", "eta_v1", "--role", "ml_lead"], "bob")).code).toBe(0);
    expect((await sluice(root, ["verify"], "bob")).code).toBe(0);
  });
});
