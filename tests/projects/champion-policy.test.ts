/**
 * The champion/challenger rule is written once, in the promotion policy
 * (`championChallenger`), and the evaluate stages take it from there: an
 * edit of one project's rule reruns that project's evaluation and promotion
 * only, and the gate's evidence shows the rule it was judged by.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Gate } from "../../stages/lib/gate.js";
import { ProjectWorkspace, statusOf, type ProjectRun } from "./project-workspace.js";

/** Ids of the stages a run did not serve from the cache. */
const rerunIn = (run: ProjectRun): string[] =>
  Object.entries(statusOf(run))
    .filter(([, status]) => status !== "cached")
    .map(([id]) => id)
    .sort();

describe("the promotion policy as the champion rule's one source", () => {
  // Two projects, the two fastest: enough to see that the other one stays cached.
  let ws: ProjectWorkspace;
  const costImproves = (): Gate => ws.json<Gate>("eta", "out/evaluate/cost_improves.json");

  beforeAll(() => {
    ws = new ProjectWorkspace(["eta", "forecast"]);
  });
  afterAll(() => ws.dispose());

  test("the champion gate's evidence names the policy's rule", () => {
    const run = ws.run();
    expect(run.ok, run.stderr).toBe(true);
    const gate = costImproves();
    expect(gate.threshold).toBe(0.01);
    expect(gate.evidence).toMatchObject({
      metric: "cost_per_shipment",
      direction: "lower",
      margin: 0.01,
      guardrails: [expect.objectContaining({ name: "ece", max: 0.08 })],
      rule: "contracts/promotion_policy.json#/projects/eta/championChallenger",
    });
    expect(ws.json<{ primary_metric: string }>("eta", "reports/evaluation.json").primary_metric).toBe("cost_per_shipment");
  });

  test("editing eta's margin in the policy reruns eta's evaluate and promote and nothing else", () => {
    ws.setPolicy("eta", "championChallenger", { margin: 0.05 });
    const run = ws.run();
    expect(run.ok, run.stderr).toBe(true);
    expect(rerunIn(run)).toEqual(["eta:evaluate", "eta:promote"]);
    const gate = costImproves();
    expect(gate.threshold).toBe(0.05);
    expect(gate.evidence["margin"]).toBe(0.05);
  });

  test("a rule the policy gives to another gate is a pipeline-definition error naming the policy", () => {
    ws.setPolicy("forecast", "championChallenger", { gate: "peak_underforecast_cost" });
    const run = ws.cli(["run", "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('projects.forecast.championChallenger.gate is "peak_underforecast_cost"');
    expect(run.stderr).toContain("projects/forecast/pipeline.ts");
    ws.setPolicy("forecast", "championChallenger", { gate: "mae_improves" });
  });
});
