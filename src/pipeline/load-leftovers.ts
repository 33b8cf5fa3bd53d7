/**
 * What a load in a process that loads more than once (the sluice server)
 * may leave behind for the next, and its undoing: a process of its own
 * would start every load without it.
 *
 * - Properties a load put on the global object (`globalThis.settings ??= …`,
 *   the singleton idiom) or changed there: the next load would find the
 *   last one's value and skip making its own.
 * - Modules in CommonJS's cache (`createRequire(import.meta.url)("./settings.json")`,
 *   a `.cjs` helper, a package loaded through `require`): the next load's
 *   `require` would return the last one's, however the file changed since.
 *
 * Both are put back as they were when the process became ready to load
 * (`rememberBeforeLoads`), before every load (`forgetLoadLeftovers`).
 * sluice's own slots on the global object (`Symbol.for("sluice.…")`) are
 * left alone: its loader keeps them up itself.
 */
import { createRequire } from "node:module";

const requireCache = createRequire(import.meta.url).cache;

interface Remembered {
  readonly globals: ReadonlyMap<PropertyKey, PropertyDescriptor>;
  readonly required: ReadonlySet<string>;
}

let remembered: Remembered | undefined;

/** Remembers the global object and the CommonJS modules as they are now, before the first load. */
export function rememberBeforeLoads(): void {
  const globals = new Map<PropertyKey, PropertyDescriptor>();
  for (const key of Reflect.ownKeys(globalThis)) globals.set(key, Object.getOwnPropertyDescriptor(globalThis, key) as PropertyDescriptor);
  remembered = { globals, required: new Set(Object.keys(requireCache)) };
}

/** Puts the global object and CommonJS's module cache back as `rememberBeforeLoads` found them. */
export function forgetLoadLeftovers(): void {
  if (!remembered) return;
  const global = globalThis as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(globalThis)) {
    if (isOwnSlot(key)) continue;
    const before = remembered.globals.get(key);
    const now = Object.getOwnPropertyDescriptor(globalThis, key) as PropertyDescriptor;
    if (before && sameDescriptor(before, now)) continue;
    try {
      if (before) Object.defineProperty(globalThis, key, before);
      else delete global[key];
    } catch {
      // A property the load made unconfigurable stays: nothing a later load does can remove it either.
    }
  }
  for (const id of Object.keys(requireCache)) if (!remembered.required.has(id)) delete requireCache[id];
}

function isOwnSlot(key: PropertyKey): boolean {
  return typeof key === "symbol" && (Symbol.keyFor(key) ?? "").startsWith("sluice.");
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return (
    Object.is(a.value, b.value) &&
    a.get === b.get &&
    a.set === b.set &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable &&
    a.configurable === b.configurable
  );
}
