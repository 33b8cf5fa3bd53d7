/**
 * Every validation failure mode of every project, from the corrupted
 * snapshot fixtures: schema violation, stale snapshot, leakage and too few
 * rows each fail exactly the gates the fixture names, with the evidence it
 * names, and the train stage refuses the result — a corrupted snapshot never
 * reaches training.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { REPO } from "../rig.js";
import { applyEdits, type CorruptionFixture } from "./corrupt.js";
import { ADAPTERS, disposeBuilt, paramsOf } from "./project-adapters.js";

const PROJECTS = ["eta", "ranking", "forecast", "vision"] as const;
const MODES = ["schema_violation", "stale_snapshot", "leakage", "too_few_rows"];

function fixtureOf(project: string): CorruptionFixture {
  return JSON.parse(readFileSync(join(REPO, "projects", project, "fixtures", "corruptions.json"), "utf8")) as CorruptionFixture;
}

/** Evidence expectations with "*" turned into "anything". */
function expected(evidence: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, v === "*" ? expect.anything() : v]));
}

describe.each(PROJECTS)("%s validation", (project) => {
  const fixture = fixtureOf(project);
  const adapter = ADAPTERS[project];
  if (!adapter) throw new Error(`no adapter for ${project}`);
  const params = paramsOf(project, fixture.small);

  test("covers every failure mode", () => {
    expect(fixture.cases.map((c) => c.mode).sort()).toEqual([...MODES].sort());
  });

  test("passes every gate on the clean small snapshot", () => {
    const built = adapter.build(params);
    const gates = adapter.validate(built, params);
    disposeBuilt(built);
    expect(Object.values(gates).filter((g) => !g.passed).map((g) => g.name)).toEqual([]);
  });

  test.each(fixture.cases.map((c) => [c.mode, c] as const))("detects %s with evidence and refuses to train", async (_mode, c) => {
    const built = adapter.build(params);
    applyEdits(built.files, c.edits);
    const gates = adapter.validate(built, params);
    const failed = Object.values(gates).filter((g) => !g.passed).map((g) => g.name).sort();
    expect(failed).toEqual([...c.failing].sort());
    for (const [name, evidence] of Object.entries(c.evidence)) {
      expect(gates[name]?.evidence).toMatchObject(expected(evidence));
      expect(String(gates[name]?.evidence["why"])).not.toBe("");
    }
    await expect(adapter.train(built, params, gates)).rejects.toThrow(/snapshot rejected by validation, refusing to train/);
    disposeBuilt(built);
  });
});
