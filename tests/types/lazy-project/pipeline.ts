/**
 * A project whose `run` stages name their functions with `runFrom` and whose
 * stage module types itself from the stages' handles (`fit.ts`). Checked by
 * `lazy-stage.types.ts`; `type-tests.test.ts` also renames a dep in a copy
 * and expects the compiler to fail in the stage module.
 */
import { z } from "zod";
import { defineProject, file, json, runFrom, source, type StagesOf } from "sluice";
import { evaluateCandidate, trainCandidate } from "sluice/registry";

const lazy = defineProject("lazy", (p) => {
  const raw = p.stage("raw", { deps: { csv: source("in.csv") }, outs: { table: file("t.csv"), stats: json(z.object({ rows: z.number() })) }, cmd: "true" });
  const fit = p.stage("fit", {
    deps: { stats: raw.outs.stats, table: raw.outs.table },
    params: { lr: 0.1 },
    outs: { model: file("m.json"), summary: json(z.object({ loss: z.number() })) },
    run: runFrom(() => import("./fit.js"), "fit"),
  });
  const train = trainCandidate(p, {
    modelPath: "model.json",
    deps: { table: raw.outs.table },
    params: { epochs: 3 },
    run: runFrom(() => import("./fit.js"), "train"),
  });
  const evaluate = evaluateCandidate(p, {
    gates: ["recall"],
    championGate: "recall",
    deps: { model: train.outs.model },
    params: { floor: 0.8 },
    run: runFrom(() => import("./fit.js"), "evaluate"),
  });
  p.stage("typos", {
    outs: { y: file("y") },
    // @ts-expect-error the module exports no such name
    run: runFrom(() => import("./fit.js"), "fitt"),
  });
  p.stage("missing", {
    outs: { y: file("y") },
    // @ts-expect-error no such module
    run: runFrom(() => import("./fitt.js"), "fit"),
  });
  return { raw, fit, train, evaluate };
});
export default lazy;

/** The stages by name, for `fit.ts`. */
export type LazyStages = StagesOf<typeof lazy>;
