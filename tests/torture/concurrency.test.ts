/**
 * Twelve real CLI processes on one workspace at once: four `sluice run`
 * (each training its own candidate, so each promote stage writes to the
 * registry), five `sluice promote` and three `sluice rollback`. Runs take
 * turns on the workspace lock (one writer per workspace) and say so;
 * registry writers serialise on the registry lock. Afterwards no line of
 * the log is torn, the chain verifies, and every alias file is what the log
 * says it is.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Workspace, type RunJson, type RunOutput } from "../rig.js";
import { aliasMismatches, loggedEvents, promotingWorkspace, STACK_FRAME, verifyJson } from "./registry-checks.js";

const ACTOR = { SLUICE_ACTOR: "ci" };

/** The one refusal a rollback may meet here (every release it could go back to was rolled back from): a rule said no, not a crash. */
const CLEAR_REFUSAL = /^error: eta@production has no earlier known-good release to roll back to \(it holds eta_v\d+\)\n$/;

/** The only way a run may fail here: production moved between its evaluation and its promotion. */
const CHAMPION_MOVED = /eta@production moved: expected eta_v\d+ but it now holds eta_v\d+; nothing was changed/;

async function must(ws: Workspace, args: string[]): Promise<void> {
  const out = await ws.run(args, { env: ACTOR });
  if (out.code !== 0) throw new Error(`sluice ${args.join(" ")} exited ${out.code}:\n${out.stderr}`);
}

/** A candidate with its own weights and an AUC high enough to be judged against the champion. */
function candidateArgs(weights: string, auc: number): string[] {
  return ["run", "--json", "--set", `eta:train.weights=${weights}`, "--set", `eta:evaluate.auc=${auc}`];
}

function parseRun(out: RunOutput): RunJson {
  try {
    return JSON.parse(out.stdout) as RunJson;
  } catch {
    throw new Error(`run printed no JSON (exit ${out.code}):\n${out.stdout}\n${out.stderr}`);
  }
}

describe("concurrent runs, promotions and rollbacks on one workspace", () => {
  const ws = new Workspace(promotingWorkspace());
  afterAll(() => ws.dispose());

  it("keeps the log whole and chained and every alias file equal to the log", async () => {
    // eta_v1 and eta_v2 both approved and each once in production, so every
    // promote below is allowed and a rollback has somewhere to go.
    await must(ws, ["run"]);
    for (const release of ["eta_v1", "eta_v2"]) {
      if (release === "eta_v2") await must(ws, candidateArgs("w2", 0.9));
      await must(ws, ["approve", "eta", release, "--role", "ml_lead", "--by", "bob"]);
      await must(ws, ["approve", "eta", release, "--role", "risk", "--by", "carol"]);
      await must(ws, ["promote", "eta", release, "--to", "production"]);
    }

    const runs = [1, 2, 3, 4].map((i) => ws.start(candidateArgs(`c${i}`, 0.9 + i / 100), { env: ACTOR }));
    const registryCommands = [
      ["promote", "eta", "eta_v1", "--to", "production"],
      ["rollback", "eta", "--reason", "latency spike"],
      ["promote", "eta", "eta_v2", "--to", "production"],
      ["rollback", "eta", "--reason", "stale warnings"],
      ["promote", "eta", "eta_v1", "--to", "production"],
      ["promote", "eta", "eta_v2", "--to", "production"],
      ["rollback", "eta", "--reason", "cost regression"],
      ["promote", "eta", "eta_v2", "--to", "production"],
    ].map((args) => ({ args, running: ws.start(args, { env: ACTOR }) }));
    const runOutputs = await Promise.all(runs.map((r) => r.done));
    const commandOutputs = await Promise.all(registryCommands.map(async (c) => ({ args: c.args, out: await c.running.done })));

    for (const { args, out } of commandOutputs) {
      const what = `sluice ${args.join(" ")} (exit ${out.code}):\n${out.stderr}`;
      expect(out.stderr, what).not.toMatch(STACK_FRAME);
      expect(out.stderr, what).not.toContain("internal error");
      if (out.code !== 0) {
        expect(out.code, what).toBe(1);
        expect(out.stderr, what).toMatch(CLEAR_REFUSAL);
      }
      if (args[0] === "promote") expect(out.code, what).toBe(0); // approved releases: nothing may refuse these
    }
    const registered: string[] = [];
    for (const out of runOutputs) {
      const what = `run (exit ${out.code}):\n${out.stderr}`;
      expect(out.stderr, what).not.toMatch(STACK_FRAME);
      expect(out.stderr, what).not.toContain("internal error");
      const json = parseRun(out);
      if (out.code !== 0) {
        expect(out.code, what).toBe(1);
        const failed = json.stages.filter((s) => s.status === "failed");
        expect(failed.map((s) => s.id), what).toEqual(["eta:promote"]);
        expect(failed[0]?.reason, what).toMatch(CHAMPION_MOVED);
      }
      registered.push(...json.decisions.map((d) => String(d["release"])));
    }
    // One writer per workspace: the runs took turns, and the ones that waited said for whom.
    const waited = runOutputs.filter((out) => /waiting for the workspace lock held by pid \d+/.test(out.stderr));
    expect(waited.length).toBeGreaterThanOrEqual(1);
    expect(registered.length).toBeGreaterThanOrEqual(1); // production settles within the runs' turns: not every promotion can be refused
    expect(new Set(registered).size).toBe(registered.length); // each candidate became its own release

    const events = loggedEvents(ws.root);
    const releases = events.filter((e) => e.type === "release_registered").map((e) => e.release);
    expect(releases).toEqual(expect.arrayContaining(["eta_v1", "eta_v2", ...registered]));
    expect(aliasMismatches(ws.root)).toEqual([]);
    const verdict = await verifyJson(ws);
    expect(verdict.problems).toEqual([]);
    expect(verdict.code).toBe(0);
    expect(existsSync(join(ws.root, "registry/.lock"))).toBe(false);
    expect(existsSync(join(ws.root, "cache/lock"))).toBe(false);
  }, 120_000);
});
