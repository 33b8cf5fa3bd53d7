/**
 * Ways a JSON file gets broken by hand, by a bad merge or by a half-finished
 * write, as fast-check arbitraries: a field deleted, renamed or set to the
 * wrong kind of value, an unknown key added, the text truncated or salted
 * with stray characters, or the file emptied. Applied to a document's text.
 */
import fc from "fast-check";

/** Wrong values for any field: other types, out-of-range numbers, path-like and oversized strings. */
const WEIRD: readonly unknown[] = [null, "", -1, 0, 1.5, 1e308, "NaN", [], {}, true, "../x", "/etc/passwd", "a b", "x".repeat(500), [null], { nested: [{}] }];
/** Stray text that breaks JSON syntax. */
const NOISE = ["{", "}", "[", "]", '"', ",", ":", "\\", "\u0000", "\u001b[2J", "\n", "NaN", "1e999", "undefined", "//"];
/** Whole-file replacements. */
const WHOLE = ["", "null", "[]", "{}", "\ufeff{}", "true", "42", '"text"'];

export type JsonMutation =
  | { readonly kind: "delete"; readonly pick: number }
  | { readonly kind: "set"; readonly pick: number; readonly value: number }
  | { readonly kind: "add-key"; readonly pick: number }
  | { readonly kind: "rename"; readonly pick: number }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "insert"; readonly at: number; readonly noise: number }
  | { readonly kind: "whole"; readonly text: number };

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ kind: "delete" as const, pick })) },
  { weight: 4, arbitrary: fc.record({ pick: fc.nat(), value: fc.nat({ max: WEIRD.length - 1 }) }).map((r) => ({ kind: "set" as const, ...r })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: "add-key" as const, pick })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: "rename" as const, pick })) },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: "truncate" as const, at })) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), noise: fc.nat({ max: NOISE.length - 1 }) }).map((r) => ({ kind: "insert" as const, ...r })) },
  { weight: 1, arbitrary: fc.nat({ max: WHOLE.length - 1 }).map((text) => ({ kind: "whole" as const, text })) },
);

type Path = readonly (string | number)[];

/** Every path to a value inside `value`. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

/** Every path to an object (the root included), where a key can be added. */
function objectPaths(value: unknown): Path[] {
  return [[], ...paths(value)].filter((path) => {
    const found = at(value, path);
    return typeof found === "object" && found !== null && !Array.isArray(found);
  });
}

function at(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}

function parentOf(root: unknown, path: Path): { parent: Record<string | number, unknown>; key: string | number } {
  return { parent: at(root, path.slice(0, -1)) as Record<string | number, unknown>, key: path.at(-1) as string | number };
}

/** Applies one mutation to JSON text; a structural mutation of text that no longer parses leaves it as it is. */
export function applyMutation(text: string, mutation: JsonMutation): string {
  switch (mutation.kind) {
    case "truncate":
      return text.slice(0, mutation.at % Math.max(1, text.length));
    case "insert": {
      const where = mutation.at % Math.max(1, text.length);
      return text.slice(0, where) + NOISE[mutation.noise] + text.slice(where);
    }
    case "whole":
      return WHOLE[mutation.text] as string;
    default:
      break;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return text;
  }
  const all = mutation.kind === "add-key" ? objectPaths(document) : paths(document);
  const path = all[mutation.pick % Math.max(1, all.length)];
  if (path === undefined) return text;
  if (mutation.kind === "add-key") {
    (at(document, path) as Record<string, unknown>)["unexpected_field"] = 1;
  } else if (path.length > 0) {
    const { parent, key } = parentOf(document, path);
    if (mutation.kind === "set") parent[key] = structuredClone(WEIRD[mutation.value]);
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else if (mutation.kind === "rename") {
      parent[`${String(key)}_renamed`] = parent[key];
      delete parent[key];
    } else delete parent[key];
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The mutation that inserts `noise` (one of the stray texts above) at `at`: for pinned examples. */
export function insertion(at: number, noise: string): JsonMutation {
  const index = NOISE.indexOf(noise);
  if (index < 0) throw new Error(`${JSON.stringify(noise)} is not one of the stray texts`);
  return { kind: "insert", at, noise: index };
}

/** Applies mutations in order. */
export function applyMutations(text: string, mutations: readonly JsonMutation[]): string {
  return mutations.reduce(applyMutation, text);
}
