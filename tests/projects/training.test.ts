/**
 * Training is real and reproducible: for every project, building the small
 * snapshot twice gives byte-identical data files, training twice gives a
 * byte-identical model file, and the recorded loss goes down.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { REPO } from "../rig.js";
import type { CorruptionFixture } from "./corrupt.js";
import { ADAPTERS, disposeBuilt, paramsOf } from "./project-adapters.js";

const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

describe.each(["eta", "ranking", "forecast", "vision"])("%s training", (project) => {
  const adapter = ADAPTERS[project];
  if (!adapter) throw new Error(`no adapter for ${project}`);
  // The fixtures' small sizes keep this fast; the story runs use the full params.
  const fixture = JSON.parse(readFileSync(join(REPO, "projects", project, "fixtures", "corruptions.json"), "utf8")) as CorruptionFixture;
  const params = paramsOf(project, fixture.small);

  test("same params give byte-identical data and model files, and the loss goes down", async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const built = adapter.build(params);
      const gates = adapter.validate(built, params);
      const trained = await adapter.train(built, params, gates);
      runs.push({ data: Object.fromEntries(Object.entries(built.files).map(([k, p]) => [k, sha(p)])), model: sha(trained.model), training: trained.training, policy: trained.policy });
      disposeBuilt(built);
    }
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(b.data).toEqual(a.data);
    expect(b.model).toBe(a.model);
    expect(b.training.model_digest).toBe(a.training.model_digest);
    expect(b.policy).toEqual(a.policy);
    expect(a.training.final_loss).toBeLessThan(a.training.initial_loss);
    expect(a.training.loss_curve.length).toBeGreaterThan(1);
  });
});
