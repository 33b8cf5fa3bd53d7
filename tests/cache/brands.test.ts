import { describe, expect, it } from "vitest";
import { parseStageKey, stageKey, type KeyComponents } from "../../src/cache/index.js";
import { parseStageId, stageId } from "../../src/pipeline/index.js";

describe("branded ids read back from text", () => {
  it("accepts a stage key exactly as stageKey writes it, and nothing else", () => {
    const components = { id: "eta:train", code: {}, params: {}, deps: [], cmd: null, env: {}, probes: {}, format: 2 } as unknown as KeyComponents;
    const key = stageKey(components);
    expect(parseStageKey(key)).toBe(key);
    for (const text of ["", "abc", `${key}0`, key.toUpperCase().replace(/[a-f]/g, "G"), `${key.slice(0, 15)}.`, "../0123456789abcd"]) {
      expect(parseStageKey(text)).toBeUndefined();
    }
  });

  it("accepts <project>:<stage> of valid names as a stage id, and nothing else", () => {
    expect(parseStageId("eta:train")).toBe(stageId("eta", "train"));
    expect(parseStageId("eta:train_py.v2")).toBe("eta:train_py.v2");
    for (const text of ["eta", ":train", "eta:", "eta:train:x", "eta:-x", "e ta:train", "*:evaluate"]) {
      expect(parseStageId(text)).toBeUndefined();
    }
  });
});
