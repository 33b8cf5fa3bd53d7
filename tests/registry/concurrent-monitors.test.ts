/**
 * Four `sluice monitor` passes judge the same production windows at once.
 * Exactly one of them records the rollback and moves production; the others
 * say the decision was already recorded, and by which event, instead of
 * announcing a rollback they did not make.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeRefusal, type Registry } from "../../src/registry/index.js";
import { BIN } from "../rig.js";
import { approverFor, signingKey } from "../signers.js";
import { candidate, LINEAGE, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

async function ship(registry: Registry, model: string): Promise<string> {
  const submitted = await registry.submitCandidate({ candidate: await candidate(ws, { model }), lineage: LINEAGE, policy });
  if (!submitted.ok) throw new Error(describeRefusal(submitted.error));
  const release = submitted.value.release;
  for (const role of ["ml_lead", "risk"]) await registry.approve(policy, { project: "eta", release, role, by: approverFor(role), note: "" }, signingKey(approverFor(role)));
  const promoted = await registry.promote(policy, { project: "eta", release, alias: "production", expected: undefined, reason: "ship" });
  if (!promoted.ok) throw new Error(describeRefusal(promoted.error));
  return release;
}

/** Production windows of `release` whose stale-warning count breaks the policy's rollback rule. */
function spikeWindows(release: string): string {
  return Array.from({ length: 3 }, (_, i) => {
    const day = `2026-06-0${i + 1}`;
    const next = `2026-06-0${i + 2}`;
    return JSON.stringify({
      project: "eta",
      alias: "production",
      release,
      window: day,
      start: `${day}T00:00:00.000Z`,
      end: `${next}T00:00:00.000Z`,
      service: { requests: 5000, errors: 5, p50LatencyMs: 40, p99LatencyMs: 120 },
      data: { freshnessLagMinutes: 35 },
      outcomes: { labelled: 200, metrics: { recall: 0.9 } },
      events: { stale_warnings: 500 },
    });
  }).join("\n");
}

interface MonitorDoc {
  readonly decisions: { decision: string; recorded: boolean; skipped?: string; moves: unknown[]; recordedBy?: { seq: number; actor: string; at: string } }[];
}

function monitor(root: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "monitor", "eta", "--windows", "windows.jsonl", "--json"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Four passes at once over a fresh registry with production eta_v2 and windows that condemn it. */
async function fourPasses(): Promise<{ docs: MonitorDoc[]; log: { type: string; decision?: string; seq: number; actor: string; at: string }[] }> {
  ws?.cleanup();
  ws = await tempWorkspace();
  const registry = await ws.open("alice");
  await ship(registry, "weights v1");
  const v2 = await ship(registry, "weights v2");
  writeFileSync(join(ws.root, "windows.jsonl"), `${spikeWindows(v2)}\n`);
  const passes = await Promise.all(Array.from({ length: 4 }, () => monitor(ws.root)));
  for (const pass of passes) expect(pass.code, pass.stderr).toBe(0);
  const log = readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  return { docs: passes.map((p) => JSON.parse(p.stdout) as MonitorDoc), log };
}

describe("concurrent monitor passes", () => {
  it("report exactly one recorded rollback between four passes started at once; the others name the event that recorded it", async () => {
    // A pass that starts after the rollback is recorded sees its windows as judged and decides nothing;
    // the race this is about needs passes that judged before it was: rounds repeat until one did.
    let round = await fourPasses();
    const late = (docs: MonitorDoc[]) => docs.flatMap((d) => d.decisions).filter((x) => x.decision === "rollback" && !x.recorded);
    for (let attempt = 1; attempt < 5 && late(round.docs).length === 0; attempt++) round = await fourPasses();
    const { docs, log } = round;

    const rollbacks = docs.flatMap((d) => d.decisions.filter((x) => x.decision === "rollback"));
    const recorded = rollbacks.filter((r) => r.recorded);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.moves).toEqual([{ alias: "production", from: "eta_v2", to: "eta_v1" }]);
    const events = log.filter((e) => e.type === "decision" && e.decision === "rollback");
    expect(events).toHaveLength(1);
    const event = events[0]!;

    expect(late(docs).length).toBeGreaterThan(0);
    for (const other of late(docs)) {
      expect(other.moves).toEqual([]);
      expect(other.recordedBy).toEqual({ seq: event.seq, actor: event.actor, at: event.at });
      expect(other.skipped).toBe(`already recorded as registry event #${event.seq} (by ${event.actor} at ${event.at})`);
    }
  }, 120_000);
});
