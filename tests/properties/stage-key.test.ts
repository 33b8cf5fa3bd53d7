import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stageKey, type KeyComponents } from "../../src/cache/index.js";
import type { Json, StageId } from "../../src/pipeline/index.js";

const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie("value"), { maxKeys: 5 }),
  ),
})).value;

function components(params: Record<string, Json>): KeyComponents {
  return {
    format: 1,
    stage: "p:s" as StageId,
    action: "cmd",
    cmd: "true",
    params,
    deps: { x: { from: "source p/x", digest: "0000000000000000-1" } },
    outs: { y: "file:p/y" },
    env: {},
    probes: {},
    runtime: { platform: "linux-x64" },
  };
}

/** The same object with its keys inserted in reverse order, at every depth. */
function reordered(value: Json): Json {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}

/** Param names, the ones a plain object treats specially included. */
const paramName = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__proto__", "constructor", "prototype", "toString"));

describe("stage key properties", () => {
  it("does not depend on the order of object keys in params", () => {
    fc.assert(
      fc.property(fc.dictionary(paramName, json, { maxKeys: 8 }), (params) => {
        expect(stageKey(components(reordered(params) as Record<string, Json>))).toBe(stageKey(components(params)));
      }),
      { numRuns: 300 },
    );
  });

  it("changes with every real change of a param value, a param name, a dep digest or the cmd", () => {
    fc.assert(
      fc.property(fc.dictionary(paramName, json, { minKeys: 1, maxKeys: 8 }), json, (params, other) => {
        const base = stageKey(components(params));
        const [name, value] = Object.entries(params)[0] as [string, Json];
        if (JSON.stringify(value) !== JSON.stringify(other)) {
          expect(stageKey(components({ ...params, [name]: other }))).not.toBe(base);
        }
        const renamed = { ...params };
        delete renamed[name];
        renamed[`${name}_`] = value;
        expect(stageKey(components(renamed))).not.toBe(base);
        const removed = { ...params };
        delete removed[name];
        expect(stageKey(components(removed))).not.toBe(base);
        expect(stageKey({ ...components(params), cmd: "false" })).not.toBe(base);
        expect(stageKey({ ...components(params), deps: { x: { from: "source p/x", digest: "0000000000000001-1" } } })).not.toBe(base);
      }),
      { numRuns: 300 },
    );
  });
});
