/** Stage functions typed from their stages' handles; `import type` keeps the pipeline file out of their code. */
import type { StageContextOf, StageFn } from "sluice";
import type { LazyStages } from "./pipeline.js";

/** `lazy:fit`: its context is the stage's, so a dep renamed in pipeline.ts fails to compile here. */
export function fit(ctx: StageContextOf<LazyStages["fit"]>) {
  const rows: number = ctx.deps.stats.rows;
  const table: string = ctx.deps.table;
  return { summary: { loss: rows * ctx.params.lr + table.length } };
}

/** `lazy:train`: typed as the factory asks, its returns included. */
export const train: StageFn<LazyStages["train"]> = (ctx) => ({
  policy: { thresholds: { alert: ctx.params.epochs } },
  training: { model_id: "m", feature_version: "v", rows: 1, epochs: ctx.params.epochs, loss_curve: [1], initial_loss: 1, final_loss: 1, model_digest: "x", hyperparameters: {} },
});

/** `lazy:evaluate`: the factory adds the champion dep and the champion rule param. */
export const evaluate: StageFn<LazyStages["evaluate"]> = (ctx) => {
  const gate = { name: "recall", passed: ctx.deps.champion === null, value: 1, threshold: ctx.params.floor, critical: true, evidence: {} };
  return { report: { metrics: { recall: 1 } }, recall: gate };
};
