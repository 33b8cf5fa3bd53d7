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

/**
 * `value` with object keys sorted at every depth. What is already in order
 * is returned as it is rather than copied: the objects sluice builds for
 * keys and the lock file are built in key order, and copying thousands of
 * small objects per run was most of the cost. Keys in order as listed
 * enumerate the same way in a copy, and JSON.stringify drops an undefined
 * property just as the copy would, so the text is the same either way.
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = sortKeys(value[i]);
      if (item !== value[i]) copy ??= value.slice();
      if (copy) copy[i] = item;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const proto = Object.getPrototypeOf(record);
  // An own "__proto__" key goes the copying way, the only one that keeps it.
  let inOrder = proto === Object.prototype || proto === null;
  for (let i = 0; inOrder && i < keys.length; i++) inOrder = keys[i] !== "__proto__" && (i === 0 || (keys[i - 1] as string) < (keys[i] as string));
  if (inOrder) {
    let copy: Record<string, unknown> | undefined;
    for (const key of keys) {
      const inner = record[key];
      const sorted = sortKeys(inner);
      if (sorted !== inner) copy ??= { ...record };
      if (copy) copy[key] = sorted;
    }
    return copy ?? record;
  }
  // Without a prototype, an own "__proto__" key (a param, a JSON.parse result)
  // is stored like any other key instead of hitting the prototype setter,
  // which would drop it from the text and so from every key built on it.
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of keys.sort()) {
    const inner = record[key];
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
