/**
 * What a load in a process that loads more than once (the sluice server)
 * may leave behind for the next, and its undoing: a process of its own
 * would start every load without it.
 *
 * - Properties the load put on, changed or removed from the global object
 *   (`globalThis.settings ??= …`, the singleton idiom), from what a global
 *   holds (`console.error = …`, zod's `z.config(…)`, which lives on the
 *   global object) or from a built-in prototype (`Array.prototype.total`):
 *   the next load would find the last one's and, say, skip making its own.
 * - Modules the load put in CommonJS's cache (`createRequire(import.meta.url)("./settings.json")`,
 *   a `.cjs` helper, a package loaded through `require`): the next load's
 *   `require` would return the last one's, however the file changed since.
 *
 * `recordLoad` notes what a load changed, comparing before and after it;
 * `forgetLoadLeftovers`, which the server calls before each command, puts
 * it back and names what it could not (a property made unconfigurable).
 * Only the load's own changes are undone: what sluice's own code sets up
 * while it runs a command (a library's exit hook) is the same every time,
 * and what a shared package sets up as it is first evaluated (`asSetup`:
 * zod's configuration object on the global object) is the process's from
 * then on, and watched like the rest.
 * Left alone: `process`, which the server itself sets up for each command,
 * and sluice's own slots on the global object (`Symbol.for("sluice.…")`),
 * which its loader keeps up itself.
 */
import { createRequire } from "node:module";

const requireCache = createRequire(import.meta.url).cache;

/** An object whose own properties a load could change. */
interface Watched {
  readonly target: object;
  readonly name: string;
}

/** A property a load changed, with the descriptor it had before (none: the load made it). */
interface Leftover extends Watched {
  readonly key: PropertyKey;
  readonly before: PropertyDescriptor | undefined;
}

let watched: Watched[] | undefined;
/** What the load being recorded started from, one map for each watched object. */
let recording: Map<PropertyKey, PropertyDescriptor>[] | undefined;
let leftovers: Leftover[] = [];
let required: string[] = [];

/** Chooses what loads are watched: the global object and what it holds now, before the first load. */
export function watchLoads(): void {
  watched = watchedObjects(new Set());
}

/**
 * Runs the first evaluation of a package that loads share (`setUp`): what it
 * changes is the process's from then on, not the load's, and what it puts on
 * the global object is watched from now on.
 */
export async function asSetup<T>(setUp: () => Promise<T>): Promise<T> {
  if (!watched || !recording) return setUp();
  const before = watched.map(({ target }) => ownProperties(target));
  try {
    return await setUp();
  } finally {
    const base = recording;
    // Only what was watched when this began: shared imports are linked side by side, and another may have added more.
    before.forEach((was, index) => {
      const { target } = watched?.[index] as Watched;
      for (const [key, now] of changes(target, was)) {
        if (now) base[index]?.set(key, now);
        else base[index]?.delete(key);
      }
    });
    const added = watchedObjects(new Set(watched.map(({ target }) => target)));
    watched.push(...added);
    base.push(...added.map(({ target }) => ownProperties(target)));
  }
}

/** Runs `load`, noting what it changed of what is watched, for `forgetLoadLeftovers` to undo. */
export async function recordLoad<T>(load: () => Promise<T>): Promise<T> {
  if (!watched) return load();
  recording = watched.map(({ target }) => ownProperties(target));
  const requiredBefore = new Set(Object.keys(requireCache));
  try {
    return await load();
  } finally {
    const before = recording;
    recording = undefined;
    watched.forEach(({ target, name }, index) => {
      const was = before[index] as Map<PropertyKey, PropertyDescriptor>;
      for (const [key] of changes(target, was)) {
        if (!(target === globalThis && isOwnSlot(key))) leftovers.push({ target, name, key, before: was.get(key) });
      }
    });
    required.push(...Object.keys(requireCache).filter((id) => !requiredBefore.has(id)));
  }
}

/** Undoes what the loads since the last call changed; returns the properties it could not put back, by name. */
export function forgetLoadLeftovers(): string[] {
  const stuck: string[] = [];
  for (const { target, name, key, before } of leftovers.reverse()) {
    const undone = before ? Reflect.defineProperty(target, key, before) : Reflect.deleteProperty(target, key);
    if (!undone) stuck.push(`${name}.${String(key)}`);
  }
  for (const id of required) delete requireCache[id];
  leftovers = [];
  required = [];
  return stuck;
}

/**
 * The global object, every object or function a global holds as a value
 * (not through a getter: reading one may load a module), and the prototype
 * of each such function.
 */
function watchedObjects(known: ReadonlySet<object>): Watched[] {
  const objects: Watched[] = known.has(globalThis) ? [] : [{ target: globalThis, name: "globalThis" }];
  for (const [key, descriptor] of ownProperties(globalThis)) {
    const value: unknown = descriptor.value;
    if (key === "process" || isOwnSlot(key) || (typeof value !== "object" && typeof value !== "function") || value === null || value === globalThis) continue;
    if (known.has(value)) continue;
    const name = String(key);
    objects.push({ target: value, name });
    const prototype = typeof value === "function" ? Object.getOwnPropertyDescriptor(value, "prototype")?.value : undefined;
    if (typeof prototype === "object" && prototype !== null) objects.push({ target: prototype as object, name: `${name}.prototype` });
  }
  return objects;
}

/** The properties of `target` that are not as `before` has them, with what each is now (undefined: gone). */
function changes(target: object, before: ReadonlyMap<PropertyKey, PropertyDescriptor>): [PropertyKey, PropertyDescriptor | undefined][] {
  const changed: [PropertyKey, PropertyDescriptor | undefined][] = [];
  for (const key of new Set([...before.keys(), ...Reflect.ownKeys(target)])) {
    const then = before.get(key);
    const now = Object.getOwnPropertyDescriptor(target, key);
    if (!(then && now && sameDescriptor(then, now))) changed.push([key, now]);
  }
  return changed;
}

function ownProperties(target: object): Map<PropertyKey, PropertyDescriptor> {
  return new Map(Reflect.ownKeys(target).map((key) => [key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor]));
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
