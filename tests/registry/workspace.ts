/**
 * Test rig for registry tests: a real temp workspace (package.json,
 * pipeline.ts, a promotion policy, an object store) and candidates whose
 * artifacts are real bytes in that store.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GateResult, PromotionPolicy } from "../../contracts/index.js";
import { ObjectStore } from "../../src/cache/index.js";
import { openRegistry, type CandidateTuple, type Registry } from "../../src/registry/index.js";
import { allowedSignersFor, CAST, writeSigners } from "../signers.js";

/** The seed's gate set, with `critical_slice_pass` critical. */
export const SEED_GATES = ["schema_valid", "no_leakage", "critical_slice_pass", "cost_improves"] as const;

/** A monitor policy that satisfies monitoring's contract. */
export const MONITOR_CRITERIA = {
  project: "eta",
  canary: {
    immediate: { maxErrorRate: 0.01, maxP99LatencyMs: 200 },
    delayed: { metric: "warning_cost", direction: "lower", minLabelled: 100, minWindows: 2, comparison: "non-inferior", margin: 0.02 },
    pauseDeadline: { windows: 6 },
  },
  slo: { metric: "recall", direction: "higher", floor: 0.8, window: 5, consecutive: 3 },
  rollbackEvents: [{ counter: "stale_warnings", maxPerWindow: 50 }],
} as const;

/** A policy for project `eta` shaped like the seed. */
export function seedPolicy(): PromotionPolicy {
  return {
    version: 1,
    projects: {
      eta: {
        requiredGates: SEED_GATES.map((name) => ({ name, critical: name !== "cost_improves" })),
        championChallenger: {
          gate: "beats_champion",
          primaryMetric: "auc",
          direction: "higher",
          margin: 0.005,
          guardrails: [
            { name: "p99_latency_ms", max: 200 },
            { name: "fairness_gap", max: 0.05 },
            { name: "calibration_ece", max: 0.04 },
          ],
          withoutChampion: "pass",
        },
        monitor: { id: "eta_monitor_v1", criteria: structuredClone(MONITOR_CRITERIA) as never },
        approvals: { production: { roles: ["ml_lead", "risk"], separationOfDuties: true } },
        allowedSigners: allowedSignersFor(["ml_lead", "risk"]),
      },
    },
  };
}

/** A temp workspace; `cleanup` removes it. */
export interface TempWorkspace {
  readonly root: string;
  readonly store: ObjectStore;
  cleanup(): void;
  open(actor?: string): Promise<Registry>;
}

/** Makes a temp workspace with the seed policy; every role's allowed_signers lists the whole test cast. */
export async function tempWorkspace(policy: PromotionPolicy = seedPolicy()): Promise<TempWorkspace> {
  const root = mkdtempSync(join(tmpdir(), "sluice-registry-"));
  writeFileSync(join(root, "package.json"), `{"name":"ws","type":"module"}\n`);
  writeFileSync(join(root, "pipeline.ts"), "export default {};\n");
  mkdirSync(join(root, "contracts"));
  writeFileSync(join(root, "contracts", "promotion_policy.json"), `${JSON.stringify(policy, null, 2)}\n`);
  for (const role of ["ml_lead", "risk"]) writeSigners(root, role, CAST);
  return {
    root,
    store: new ObjectStore(join(root, "cache")),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
    open: (actor = "alice") => openRegistry(root, { actor }),
  };
}

/** Gates from a name -> passed map, in the seed's shape. */
export function gates(verdicts: Readonly<Record<string, boolean>>): GateResult[] {
  return Object.entries(verdicts).map(([name, passed]) => ({
    name,
    passed,
    value: passed ? 1 : 0,
    threshold: 1,
    critical: name !== "cost_improves",
    evidence: { note: `${name} ${passed ? "passed" : "failed"}` },
  }));
}

/** Every seed gate passing, with named exceptions failing. */
export function seedGates(failing: readonly string[] = []): GateResult[] {
  return gates(Object.fromEntries(SEED_GATES.map((g) => [g, !failing.includes(g)])));
}

/** A candidate whose artifacts are real objects in the store. */
export async function candidate(
  ws: TempWorkspace,
  options: { model?: string; thresholds?: Record<string, number>; gates?: GateResult[]; metrics?: Record<string, number> } = {},
): Promise<CandidateTuple> {
  const put = (text: string) => ws.store.putBytes(Buffer.from(text, "utf8"));
  const thresholds = options.thresholds ?? { warning: 0.5 };
  const metrics = options.metrics ?? { auc: 0.8 };
  const policy = seedPolicy().projects["eta"]!;
  return {
    project: "eta",
    data: { id: "events_2026_05", digest: await put("events through 2026-05-31") },
    features: { version: "eta_features_v1", digest: await put("features v1") },
    model: { id: "delay_model", digest: await put(options.model ?? "weights v1") },
    actionPolicy: { id: "warning_v1", digest: await put(JSON.stringify(thresholds)), thresholds, rules: {} },
    monitorPolicy: { id: policy.monitor.id, digest: await put(JSON.stringify(policy.monitor.criteria)), criteria: policy.monitor.criteria },
    gates: options.gates ?? seedGates(),
    evaluation: { reportDigest: await put(JSON.stringify({ metrics })), metrics },
  };
}

/** The lineage the tests register with. */
export const LINEAGE = { stageKeys: { "eta:train": "k1" }, pipelineCommit: null, trigger: null } as const;
