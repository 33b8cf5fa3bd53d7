/** Grid expansion and naming of `exp run --set`: pure, so checked here rather than through the CLI. */
import { describe, expect, it } from "vitest";
import { loadExperiments } from "../../src/ops/index.js";

const { expandGrid, nameExperiments } = await loadExperiments();

describe("exp run grids", () => {
  it("expands comma-separated values of several keys into every combination, the last key varying fastest", () => {
    expect(expandGrid(["train.lr=0.1,0.2", "featurize.ngrams=1,2"])).toEqual({
      ok: true,
      points: [
        ["train.lr=0.1", "featurize.ngrams=1"],
        ["train.lr=0.1", "featurize.ngrams=2"],
        ["train.lr=0.2", "featurize.ngrams=1"],
        ["train.lr=0.2", "featurize.ngrams=2"],
      ],
    });
  });

  it("keeps commas inside brackets, braces and quotes in the value", () => {
    expect(expandGrid(['eta:train.layers=[64,32],[8]', 'p:s.opts={"a":1,"b":2}', 'p:s.name="x,y"'])).toEqual({
      ok: true,
      points: [
        ["eta:train.layers=[64,32]", 'p:s.opts={"a":1,"b":2}', 'p:s.name="x,y"'],
        ["eta:train.layers=[8]", 'p:s.opts={"a":1,"b":2}', 'p:s.name="x,y"'],
      ],
    });
  });

  it("refuses a grid of more than 256 experiments before building any", () => {
    const values = Array.from({ length: 17 }, (_, i) => i).join(",");
    expect(expandGrid([`a=${values}`, `b=${values}`])).toEqual({ ok: false, problem: "the --set values make over 256 experiments; run the grid in parts" });
  });

  it("names experiments after their keys and values, adding -2.. where a name is taken", () => {
    const points = [["featurize.max_features=50"], ["params.yaml:train.lr=0.1", "eta:train.layers=[8]"], []];
    expect(nameExperiments(points, undefined, new Set(["max_features-50"]))).toEqual({
      ok: true,
      names: ["max_features-50-2", "lr-0.1-layers-_8_", "exp"],
    });
  });

  it("numbers a named grid, and refuses a given name that is taken or could leave cache/exp/", () => {
    expect(nameExperiments([["a=1"], ["a=2"]], "lr", new Set())).toEqual({ ok: true, names: ["lr-1", "lr-2"] });
    expect(nameExperiments([["a=1"]], "lr", new Set(["lr"]))).toEqual({
      ok: false,
      problem: "an experiment named lr exists: choose another --name, or remove it (sluice exp remove lr)",
    });
    for (const bad of ["../x", ".hidden", "a/b", ""]) expect(nameExperiments([[]], bad, new Set()).ok).toBe(false);
  });
});
