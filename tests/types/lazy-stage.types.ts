/**
 * Type tests of `runFrom` stages (see lazy-project/): the module a
 * reference names types its function from the stage's handle, with the
 * same inference an inline function gets.
 */
import { expectTypeOf } from "vitest";
import type { StageContextOf, StageFn } from "sluice";
import type { Champion } from "sluice/registry";
import type { LazyStages } from "./lazy-project/pipeline.js";
import { fit, train } from "./lazy-project/fit.js";

type Fit = StageContextOf<LazyStages["fit"]>;
expectTypeOf<Fit["deps"]>().toEqualTypeOf<{ readonly stats: { rows: number }; readonly table: string }>();
expectTypeOf<Fit["params"]["lr"]>().toEqualTypeOf<0.1>();
expectTypeOf<Fit["outs"]>().toEqualTypeOf<{ readonly model: string; readonly summary: string }>();
// @ts-expect-error a dep the stage does not declare
expectTypeOf<Fit["deps"]["statz"]>().toBeUnknown();

// The module's function is the one the declaration asks for: returns checked against the json outputs.
expectTypeOf(fit).toExtend<StageFn<LazyStages["fit"]>>();
expectTypeOf(train).toExtend<StageFn<LazyStages["train"]>>();
// @ts-expect-error a json output's value must match its contract
const wrong: StageFn<LazyStages["fit"]> = () => ({ summary: { loss: "high" } });
void wrong;

// A factory's handle carries the factory's own function type: its extra deps and params, its required returns.
type Evaluate = StageContextOf<LazyStages["evaluate"]>;
expectTypeOf<Evaluate["deps"]["champion"]>().toEqualTypeOf<Champion | null>();
expectTypeOf<Evaluate["params"]["championRule"]["primaryMetric"]>().toEqualTypeOf<string>();
// @ts-expect-error a training function must return its policy and summary
const untrained: StageFn<LazyStages["train"]> = () => ({});
void untrained;
