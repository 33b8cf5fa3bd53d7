/**
 * A zod contract as text: its definition tree with every type, field,
 * check and its settings (`min(100)`), keys in a stable order. Two contracts
 * that parse alike print alike; a tightened check, a new field or an added
 * refinement or transform prints otherwise. Stage keys fold it in, so
 * changing the contract of a json output reruns the stage that writes it
 * (its cached output may break the new contract) and the stages that read
 * it (their value is what the contract parses the bytes to).
 *
 * A function is printed as `fn`, not as its source: zod's own functions
 * (error messages) live in sluice's bundle, whose text changes with every
 * build of sluice, and keys must not. So the body of a refinement or a
 * transform is not seen; changing one is a `--force` of the stages using it.
 */
const printed = new WeakMap<object, string>();

export function contractText(schema: object): string {
  let text = printed.get(schema);
  if (text === undefined) {
    text = print(schema, new Set());
    printed.set(schema, text);
  }
  return text;
}

function print(value: unknown, open: Set<object>): string {
  if (typeof value === "function") return "fn";
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? "undefined");
  if (value instanceof RegExp) return `re:${JSON.stringify(value.toString())}`;
  if (open.has(value)) return "cycle"; // a recursive schema refers back to itself
  open.add(value);
  try {
    const zod = (value as { _zod?: { def?: unknown } })._zod;
    if (zod) return `zod(${printDef(zod.def, open)})`;
    if (Array.isArray(value)) return `[${value.map((item) => print(item, open)).join(",")}]`;
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${print((value as Record<string, unknown>)[key], open)}`).join(",")}}`;
  } finally {
    open.delete(value);
  }
}

/**
 * A schema's definition. zod fills caches into it as it parses (a lazy
 * schema's `_cachedInner`): those keys are left out, so the text is the same
 * before and after any parse, and a lazy schema prints what its getter gives.
 */
function printDef(def: unknown, open: Set<object>): string {
  if (def === null || typeof def !== "object") return print(def, open);
  const fields = def as Record<string, unknown>;
  const keys = Object.keys(fields).filter((key) => !key.startsWith("_")).sort();
  const parts = keys.map((key) => `${JSON.stringify(key)}:${print(fields[key], open)}`);
  if (fields["type"] === "lazy" && typeof fields["getter"] === "function") parts.push(`"inner":${print((fields["getter"] as () => unknown)(), open)}`);
  return `{${parts.join(",")}}`;
}
