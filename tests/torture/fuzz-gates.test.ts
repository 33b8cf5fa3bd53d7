/**
 * Broken gate artifacts, fuzzed with a fixed seed through `sluice run`: the
 * promote stage reads a hand-written gate file (one gate or a list) and
 * checks it against the gate contract before it pins or registers
 * anything. A broken file fails that one stage with one line naming the
 * artifact and the field, never a stack trace, and leaves the registry byte
 * for byte and the cache's records and objects as they were.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANUAL_GATE } from "../registry/fixtures/release-workspace.js";
import { Workspace, type RunJson } from "../rig.js";
import { applyMutations, insertion, jsonMutation, type JsonMutation } from "./json-mutations.js";
import { aliasMismatches, filesUnder, promotingWorkspace, restoreFiles, STACK_FRAME, UNPRINTABLE } from "./registry-checks.js";

const ACTOR = { SLUICE_ACTOR: "ci" };
const GATE_FILE = "projects/eta/manual-gate.json";
const SEED = Number(process.env["SLUICE_FUZZ_SEED"] ?? 20261123);

/** A gate file as an evaluation step writes it: one gate, or a list of them. */
function gateText(list: boolean): string {
  const second = { ...MANUAL_GATE, name: "second_review", evidence: { by: "qa", rows: [1, 2] } };
  return `${JSON.stringify(list ? [MANUAL_GATE, second] : MANUAL_GATE, null, 2)}\n`;
}

describe("fuzzed gate artifacts", () => {
  const ws = new Workspace(promotingWorkspace());
  let registry: Record<string, string> = {};

  beforeAll(async () => {
    // The promote stage reads the gate file itself (a source, not a copy made by a stage), so only it reruns.
    ws.edit("projects/eta/pipeline.ts", "manual: manual.outs.gate", 'manual: source("manual-gate.json")');
    ws.edit("projects/eta/pipeline.ts", /\n {2}const manual = p\.stage\("manual_gate".*\n/.exec(ws.read("projects/eta/pipeline.ts"))?.[0] ?? "(missing)", "\n");
    const out = await ws.run(["run"], { env: ACTOR });
    expect(out.code, out.stderr).toBe(0);
    registry = filesUnder(ws.root, "registry");
  }, 60_000);
  afterAll(() => ws.dispose());

  it("fail only the promote stage, with one line naming the artifact, and write nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(jsonMutation, { minLength: 1, maxLength: 2 }), async (list, mutations) => {
        restoreFiles(ws.root, "registry", registry);
        ws.write(GATE_FILE, applyMutations(gateText(list), mutations));
        const records = Object.keys(filesUnder(ws.root, "cache/records")).sort();
        const objects = Object.keys(filesUnder(ws.root, "cache/objects")).sort();
        const out = await ws.run(["run", "--json"], { env: ACTOR });
        const what = `exit ${out.code}, gate file:\n${ws.read(GATE_FILE).slice(0, 400)}\n--- stderr ---\n${out.stderr}`;
        expect([0, 1], what).toContain(out.code);
        expect(out.stderr, what).not.toMatch(STACK_FRAME);
        expect(out.stderr, what).not.toContain("internal error");
        const json = JSON.parse(out.stdout) as RunJson;
        if (out.code === 0) {
          // Still a valid gate (a verdict flipped, a value changed): registered, and the log only grew.
          expect(ws.read("registry/releases.jsonl").startsWith(Buffer.from(registry["releases.jsonl"] as string, "base64").toString("utf8"))).toBe(true);
          expect(aliasMismatches(ws.root), what).toEqual([]);
          return;
        }
        const failed = json.stages.filter((s) => s.status === "failed");
        expect(failed.map((s) => s.id), what).toEqual(["eta:promote"]);
        expect(failed[0]?.reason, what).toMatch(/^contract-violation: gate_manual (breaks its contract: |\(.*\) is not JSON: )/);
        expect(failed[0]?.reason, what).not.toMatch(UNPRINTABLE);
        expect(json.decisions, what).toEqual([]);
        expect(filesUnder(ws.root, "registry"), what).toEqual(registry);
        expect(Object.keys(filesUnder(ws.root, "cache/records")).sort(), what).toEqual(records);
        expect(Object.keys(filesUnder(ws.root, "cache/objects")).sort(), what).toEqual(objects);
      }),
      {
        numRuns: 15,
        seed: SEED,
        // Pinned: text that quotes a terminal escape, and a key holding a line break ("\name" in JSON).
        examples: [
          [false, [insertion(0, "\u001b[2J")]],
          [false, [insertion(gateText(false).indexOf('"name"') + 1, "\\")]],
        ] satisfies [boolean, JsonMutation[]][],
      },
    );
  }, 120_000);
});
