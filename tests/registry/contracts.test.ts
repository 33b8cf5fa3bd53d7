/**
 * The committed JSON Schemas are generated from the zod contracts and must
 * be up to date; the shipped policy satisfies its contract.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GateResult, PromotionPolicy, renderJsonSchemas } from "../../contracts/index.js";

const contractsDir = new URL("../../contracts/", import.meta.url);

describe("contracts", () => {
  it.each([...renderJsonSchemas().keys()])("commits an up-to-date %s (regenerate: node --import tsx contracts/generate.ts)", (name) => {
    const committed = readFileSync(new URL(name, contractsDir), "utf8");
    expect(committed).toBe(renderJsonSchemas().get(name));
  });

  it("ships a promotion policy that satisfies its contract for the four projects", () => {
    const policy = PromotionPolicy.parse(JSON.parse(readFileSync(new URL("promotion_policy.json", contractsDir), "utf8")));
    expect(Object.keys(policy.projects).sort()).toEqual(["eta", "forecast", "ranking", "vision"]);
    for (const project of Object.values(policy.projects)) {
      // The champion rule's gate must be one the policy requires, or it would never be checked.
      expect(project.requiredGates.map((g) => g.name)).toContain(project.championChallenger.gate);
    }
  });

  it("rejects a malformed gate with the field named", () => {
    const parsed = GateResult.safeParse({ name: "critical_slice_pass", passed: "yes", value: 0.7, threshold: 0.8, critical: true, evidence: {} });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["passed"]);
  });
});
