import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalJsonPretty } from "../../src/util/canonical-json.js";

/** The plain definition: copy every object with its keys sorted, then stringify. */
function reference(value: unknown): string {
  const sortAll = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortAll);
    if (v === null || typeof v !== "object") return v;
    const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>; // an own "__proto__" key is a key like any other
    for (const key of Object.keys(v).sort()) {
      const inner = (v as Record<string, unknown>)[key];
      if (inner !== undefined) sorted[key] = sortAll(inner);
    }
    return sorted;
  };
  return JSON.stringify(sortAll(value));
}

/** The same value with every object's keys inserted in sorted order (the shape the fast path keeps). */
function sortedInsertion(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedInsertion);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedInsertion((value as Record<string, unknown>)[k])]));
}

const key = fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom("0", "1", "10", "2", "__proto__", "a", "b"));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 4 }),
    fc.date({ noInvalidDate: true }),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(key, tie("v"), { maxKeys: 5 }),
  ),
})).v;

describe("canonical JSON", () => {
  it("is the sorted-copy serialisation for any value, whatever order its keys were inserted in", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
        expect(canonicalJson(sortedInsertion(v))).toBe(reference(v));
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps an own __proto__ key, so a value under it reaches every key built on it", () => {
    const one = JSON.parse('{"b":1,"__proto__":{"x":1}}') as unknown;
    const two = JSON.parse('{"b":1,"__proto__":{"x":2}}') as unknown;
    expect(canonicalJson(one)).toBe('{"__proto__":{"x":1},"b":1}');
    expect(canonicalJson(two)).not.toBe(canonicalJson(one));
    expect(canonicalJson({ constructor: 1, prototype: 2 })).toBe('{"constructor":1,"prototype":2}');
  });

  it("leaves its input untouched and renders the pretty form from the same order", () => {
    const input = { b: { d: 1, c: [{ z: 1, y: undefined }] }, a: 2 };
    const before = JSON.stringify(input);
    expect(canonicalJson(input)).toBe('{"a":2,"b":{"c":[{"z":1}],"d":1}}');
    expect(canonicalJsonPretty(input)).toBe(`${JSON.stringify(JSON.parse(canonicalJson(input)), null, 2)}\n`);
    expect(JSON.stringify(input)).toBe(before);
  });
});
