/**
 * Type tests: what a pipeline author's editor infers from a declaration.
 * Checked by `tsc` (tests/types/type-tests.test.ts runs it in `npm test`):
 * an inference that breaks, or a mistake that stops being an error, fails
 * the check. Nothing here runs.
 */
import { expectTypeOf } from "vitest";
import { z } from "zod";
import { defineProject, file, json, source, type StageContextOf, type StageFn } from "sluice";
import { EvaluationReport, GateResult } from "sluice/contracts";
import { evaluateCandidate, promoteAlias, trainCandidate, validateSnapshot } from "sluice/registry";

const Stats = z.object({ rows: z.number().int(), mean: z.number() });

defineProject("demo", (p) => {
  const raw = p.stage("raw", { deps: { csv: source("in.csv") }, outs: { table: file("t.csv"), stats: json(Stats) }, cmd: "true" });

  p.stage("inline", {
    deps: { table: raw.outs.table, stats: raw.outs.stats },
    params: { lr: 0.1, name: "x" },
    outs: { model: file("m.json"), summary: json(z.object({ loss: z.number() })) },
    run: (ctx) => {
      // File deps are paths; json deps are what their zod contract parses to.
      expectTypeOf(ctx.deps.table).toEqualTypeOf<string>();
      expectTypeOf(ctx.deps.stats).toEqualTypeOf<{ rows: number; mean: number }>();
      expectTypeOf(ctx.params.lr).toEqualTypeOf<0.1>();
      expectTypeOf(ctx.outs.model).toEqualTypeOf<string>();
      // @ts-expect-error a dep that is not declared
      void ctx.deps.tabel;
      return { summary: { loss: 0.5 } };
    },
  });

  // A run function in its own module takes its context from the declaration.
  const trainDecl = { deps: { stats: raw.outs.stats }, params: { epochs: 3 }, outs: { report: json(z.object({ ok: z.boolean() })) } };
  const train: StageFn<typeof trainDecl> = (ctx) => {
    expectTypeOf(ctx.deps.stats.mean).toEqualTypeOf<number>();
    expectTypeOf(ctx.params.epochs).toEqualTypeOf<number>();
    // @ts-expect-error renaming a dep in the declaration breaks the function at compile time, not at run time
    void ctx.deps.statz;
    return { report: { ok: true } };
  };
  p.stage("train", { ...trainDecl, run: train });
  expectTypeOf<StageContextOf<typeof trainDecl>["deps"]>().toEqualTypeOf<{ readonly stats: { rows: number; mean: number } }>();

  // @ts-expect-error a json output's value must match its contract
  const wrong: StageFn<typeof trainDecl> = () => ({ report: { ok: "yes" } });
  void wrong;

  // @ts-expect-error unknown key: params is spelt params
  p.stage("typo", { parms: { n: 1 }, cmd: "true" });
  // @ts-expect-error unknown key: outputs is not a key
  p.stage("typo2", { outputs: { y: file("y") }, cmd: "true" });
  // @ts-expect-error run and cmd are exclusive
  p.stage("both", { cmd: "true", run: () => undefined });

  const validate = validateSnapshot(p, {
    gates: ["min_rows"],
    deps: { stats: raw.outs.stats },
    params: { min: 10 },
    run: (ctx) => {
      expectTypeOf(ctx.deps.stats.rows).toEqualTypeOf<number>();
      return { min_rows: { name: "min_rows", passed: true, value: ctx.deps.stats.rows, threshold: ctx.params.min, critical: true, evidence: {} } };
    },
  });
  expectTypeOf(validate.outs.min_rows.out.schema).toEqualTypeOf<typeof GateResult>();

  const trained = trainCandidate(p, {
    modelPath: "model.json",
    deps: { table: raw.outs.table, ...validate.outs },
    params: {},
    run: (ctx) => {
      expectTypeOf(ctx.deps.min_rows.passed).toEqualTypeOf<boolean>();
      return { policy: { thresholds: { alert: 0.5 } }, training: { model_id: "m", feature_version: "v", rows: 1, epochs: 1, loss_curve: [1], initial_loss: 1, final_loss: 1, model_digest: "x", hyperparameters: {} } };
    },
  });

  const evaluated = evaluateCandidate(p, {
    gates: ["beats_champion", "recall"],
    championGate: "beats_champion",
    deps: { model: trained.outs.model, policy: trained.outs.policy },
    params: { floor: 0.8 },
    run: (ctx) => {
      // The champion and the rule come from the project, not from the caller.
      expectTypeOf(ctx.deps.champion).toEqualTypeOf<import("sluice/registry").Champion | null>();
      expectTypeOf(ctx.params.championRule.primaryMetric).toEqualTypeOf<string>();
      expectTypeOf(ctx.deps.policy.thresholds).toEqualTypeOf<Record<string, number>>();
      const gate = { name: "recall", passed: true, value: 1, threshold: ctx.params.floor, critical: true, evidence: {} };
      return { report: { metrics: { recall: 1 } }, beats_champion: gate, recall: gate };
    },
  });
  expectTypeOf(evaluated.outs.report.out.schema).toEqualTypeOf<typeof EvaluationReport>();

  evaluateCandidate(p, {
    gates: ["recall"],
    // @ts-expect-error the champion gate must be one of the evaluation's gates
    championGate: "beats_champion",
    deps: {},
    params: {},
    run: () => ({ report: { metrics: {} }, recall: { name: "recall", passed: true, value: 1, threshold: 1, critical: true, evidence: {} } }),
  });

  promoteAlias(p, {
    data: { id: "d", artifact: raw.outs.table },
    features: { version: "f", artifact: raw.outs.table },
    model: { id: "m", artifact: trained.outs.model },
    actionPolicy: { id: "a", artifact: trained.outs.policy },
    evaluation: evaluated.outs.report,
    gates: { ...validate.outs, recall: evaluated.outs.recall },
    checksChampion: true,
  });
});
