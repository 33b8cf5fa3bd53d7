/**
 * Broken promotion policies (contracts/promotion_policy.json), fuzzed with
 * fixed seeds through the two CLI paths that read one: `sluice promote` and
 * the promote stage of `sluice run`. Every case ends in one clear message
 * (exit 2 for a policy that breaks its contract, 1 for a refusal by a
 * policy that is valid but says no), never a stack trace, and a failure
 * changes nothing: the registry byte for byte, the cache's records too.
 */
import fc from "fast-check";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Workspace, type RunJson } from "../rig.js";
import { applyMutations, insertion, jsonMutation } from "./json-mutations.js";
import { aliasMismatches, filesUnder, promotingWorkspace, restoreFiles, STACK_FRAME, UNPRINTABLE } from "./registry-checks.js";

const ACTOR = { SLUICE_ACTOR: "ci" };
const POLICY = "contracts/promotion_policy.json";
const SEED = Number(process.env["SLUICE_FUZZ_SEED"] ?? 20261123);

/** A broken policy file: mutated text, or no file at all, or a folder where the file should be. */
const brokenPolicy = fc.oneof(
  { weight: 12, arbitrary: fc.array(jsonMutation, { minLength: 1, maxLength: 2 }).map((mutations) => ({ kind: "text" as const, mutations })) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "missing" as const }, { kind: "folder" as const }) },
);
type BrokenPolicy = typeof brokenPolicy extends fc.Arbitrary<infer T> ? T : never;

describe("fuzzed promotion policies", () => {
  const ws = new Workspace(promotingWorkspace());
  let policy = "";
  let registry: Record<string, string> = {};

  beforeAll(async () => {
    for (const args of [
      ["run"],
      ["approve", "eta", "eta_v1", "--role", "ml_lead", "--by", "bob"],
      ["approve", "eta", "eta_v1", "--role", "risk", "--by", "carol"],
    ]) {
      const out = await ws.run(args, { env: ACTOR });
      expect(out.code, out.stderr).toBe(0);
    }
    policy = ws.read(POLICY);
    registry = filesUnder(ws.root, "registry");
  }, 60_000);
  afterAll(() => ws.dispose());

  /** Puts the broken policy in place over a pristine registry. */
  function arrange(broken: BrokenPolicy): void {
    restoreFiles(ws.root, "registry", registry);
    rmSync(join(ws.root, POLICY), { recursive: true, force: true });
    if (broken.kind === "text") ws.write(POLICY, applyMutations(policy, broken.mutations));
    if (broken.kind === "folder") mkdirSync(join(ws.root, POLICY));
  }

  /** A successful write may only have appended to the log, and the alias files must follow it. */
  function expectAppendOnly(): void {
    expect(ws.read("registry/releases.jsonl").startsWith(Buffer.from(registry["releases.jsonl"] as string, "base64").toString("utf8"))).toBe(true);
    expect(aliasMismatches(ws.root)).toEqual([]);
  }

  it("sluice promote answers each with one line, exit 2 when the policy breaks its contract, and writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(brokenPolicy, async (broken) => {
        arrange(broken);
        const out = await ws.run(["promote", "eta", "eta_v1", "--to", "production"], { env: ACTOR });
        const what = `exit ${out.code}, policy:\n${broken.kind === "text" ? ws.exists(POLICY) && ws.read(POLICY).slice(0, 400) : broken.kind}\n--- stderr ---\n${out.stderr}`;
        expect([0, 1, 2], what).toContain(out.code);
        expect(out.stderr, what).not.toMatch(STACK_FRAME);
        expect(out.stderr, what).not.toContain("internal error");
        if (out.code === 0) return expectAppendOnly();
        expect(out.stderr.trimEnd().split("\n"), what).toHaveLength(1);
        expect(out.stderr.trimEnd(), what).not.toMatch(UNPRINTABLE);
        if (out.code === 2) {
          expect(out.stderr, what).toMatch(/^error: (contracts\/promotion_policy\.json(: | has no policy for project "eta"| names no allowed signers )|\S+, the allowed signers of role )/);
        }
        else expect(out.stderr, what).toMatch(/^error: eta(_v1 did not pass its gates|@production -> eta_v1 needs approval)/);
        expect(out.stdout, what).toBe("");
        expect(filesUnder(ws.root, "registry"), what).toEqual(registry);
      }),
      {
        numRuns: 30,
        seed: SEED,
        // Pinned: text that quotes a terminal escape, and a key holding a line break ("\name" in JSON).
        examples: [
          [{ kind: "text", mutations: [insertion(0, "\u001b[2J")] }],
          [{ kind: "text", mutations: [insertion(policy.indexOf('"name"') + 1, "\\")] }],
        ],
      },
    );
  }, 120_000);

  it("a run's promote stage fails with the same one line, no stack trace, registry and cache untouched", async () => {
    await fc.assert(
      fc.asyncProperty(brokenPolicy, async (broken) => {
        arrange(broken);
        const records = Object.keys(filesUnder(ws.root, "cache/records")).sort();
        const objects = Object.keys(filesUnder(ws.root, "cache/objects")).sort();
        const out = await ws.run(["run", "--json"], { env: ACTOR });
        const what = `exit ${out.code}, policy:\n${broken.kind === "text" ? ws.exists(POLICY) && ws.read(POLICY).slice(0, 400) : broken.kind}\n--- stderr ---\n${out.stderr}`;
        expect([0, 1, 2], what).toContain(out.code);
        expect(out.stderr, what).not.toMatch(STACK_FRAME);
        expect(out.stderr, what).not.toContain("internal error");
        if (out.code === 2) {
          // The policy is a source of the promote stage: a missing one is a definition error, named.
          expect(out.stdout, what).toBe("");
          expect(out.stderr, what).toMatch(/^error: .*promotion_policy\.json/);
        } else {
          const json = JSON.parse(out.stdout) as RunJson;
          if (out.code === 0) return expectAppendOnly();
          const failed = json.stages.filter((s) => s.status === "failed");
          expect(failed.map((s) => s.id), what).toEqual(["eta:promote"]);
          expect(failed[0]?.reason, what).toMatch(/^threw: contracts\/promotion_policy\.json(: | has no policy)/);
          expect(failed[0]?.reason, what).not.toMatch(UNPRINTABLE);
        }
        expect(filesUnder(ws.root, "registry"), what).toEqual(registry);
        expect(Object.keys(filesUnder(ws.root, "cache/records")).sort(), what).toEqual(records);
        expect(Object.keys(filesUnder(ws.root, "cache/objects")).sort(), what).toEqual(objects);
      }),
      { numRuns: 10, seed: SEED },
    );
  }, 120_000);
});
