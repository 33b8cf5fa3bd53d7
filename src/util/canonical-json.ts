/**
 * Canonical JSON: object keys sorted at every depth, no whitespace. Two
 * values are equal as keys exactly when their canonical strings are equal.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Pretty canonical JSON, for files people read and diff (`sluice.lock`). */
export function canonicalJsonPretty(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== undefined) sorted[key] = sortKeys(inner);
  }
  return sorted;
}

/** Why a value is not plain JSON, or undefined when it is. */
export function notJsonReason(value: unknown, path = "value"): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${path} is ${value}, not a JSON number`;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const reason = notJsonReason(item, `${path}[${i}]`);
      if (reason) return reason;
    }
    return undefined;
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is a ${proto?.constructor?.name ?? "non-plain object"}, not a JSON object`;
    }
    for (const [key, inner] of Object.entries(value)) {
      const reason = notJsonReason(inner, `${path}.${key}`);
      if (reason) return reason;
    }
    return undefined;
  }
  return `${path} is a ${typeof value}, not JSON`;
}
