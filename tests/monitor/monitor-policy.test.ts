import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MonitorPolicy, type MonitorPolicyInput } from "../../src/monitor/index.js";
import { etaPolicyInput } from "./builders.js";

const issues = (input: unknown): string[] => {
  const result = MonitorPolicy.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

/** One policy per product, after the seed's table of live checks. */
const policies: MonitorPolicyInput[] = [
  etaPolicyInput,
  {
    project: "ranking",
    canary: {
      immediate: { maxP99LatencyMs: 120, minCandidateSupply: 50 },
      delayed: { metric: "purchase_rate", direction: "higher", minLabelled: 5000, minWindows: 7, comparison: "superior", margin: 0 },
      pauseDeadline: { hours: 336 },
    },
    slo: { metric: "ndcg_at_10", direction: "higher", floor: 0.42, window: 3, consecutive: 2 },
    rollbackEvents: [{ counter: "blocked_listing_exposure", maxPerWindow: 0 }],
  },
  {
    project: "forecast",
    canary: {
      immediate: { maxErrorRate: 0.001, maxFreshnessLagMinutes: 1440 },
      delayed: { metric: "mae", direction: "lower", minLabelled: 14, minWindows: 14, margin: 2.5 },
      pauseDeadline: { windows: 28 },
    },
    slo: { metric: "mae", direction: "lower", floor: 40, window: 7, consecutive: 3 },
    rollbackEvents: [{ counter: "broken_alert_flood", maxPerWindow: 20 }],
  },
  {
    project: "vision",
    canary: {
      immediate: { maxP99LatencyMs: 400, minUsableImageRate: 0.9 },
      delayed: { metric: "reviewer_agreement", direction: "higher", minLabelled: 200, minWindows: 3, margin: 0.02 },
      pauseDeadline: { windows: 10 },
    },
    slo: { metric: "reviewer_agreement", direction: "higher", floor: 0.85, window: 5, consecutive: 3 },
    rollbackEvents: [{ counter: "unsupported_escalations", maxPerWindow: 3 }],
  },
];

describe("MonitorPolicy", () => {
  it("accepts a policy for each product and fills defaults", () => {
    for (const input of policies) expect(issues(input), input.project).toEqual([]);
    const eta = MonitorPolicy.parse(etaPolicyInput);
    expect(eta.canary.delayed.comparison).toBe("non-inferior");
    expect(MonitorPolicy.parse({ ...etaPolicyInput, rollbackEvents: undefined }).rollbackEvents).toEqual([]);
  });

  it("rejects thresholds that cannot mean anything", () => {
    const broken = {
      ...etaPolicyInput,
      canary: { ...etaPolicyInput.canary, immediate: { maxErrorRate: 1.5 }, pauseDeadline: { windows: 0 } },
      slo: { ...etaPolicyInput.slo, window: 0 },
      drift: { features: ["score"], warnPsi: 0.25, actPsi: 0.1 },
    };
    expect(issues(broken)).toMatchInlineSnapshot(`
      [
        "canary.immediate.maxErrorRate: Too big: expected number to be <=1",
        "canary.pauseDeadline.windows: Too small: expected number to be >0",
        "slo.window: Too small: expected number to be >0",
        "drift.actPsi: actPsi must be above warnPsi",
      ]
    `);
  });

  it("renders as JSON Schema, so the registry can embed it in promotion_policy.json", () => {
    const schema = z.toJSONSchema(MonitorPolicy, { io: "input" }) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual(["canary", "drift", "project", "rollbackEvents", "slo"]);
    expect(schema.required.sort()).toEqual(["canary", "project", "slo"]);
  });

  it("rejects a rollback counter listed twice", () => {
    const twice = {
      ...etaPolicyInput,
      rollbackEvents: [
        { counter: "stale_warning_spike", maxPerWindow: 5 },
        { counter: "stale_warning_spike", maxPerWindow: 9 },
      ],
    };
    expect(issues(twice)).toMatchInlineSnapshot(`
      [
        "rollbackEvents.1.counter: counter stale_warning_spike is listed twice",
      ]
    `);
  });
});
