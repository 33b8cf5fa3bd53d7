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
 * - Timers the load started (`setInterval` to poll a config): a process of
 *   its own would have ended with them; here they would go on into the next
 *   command.
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
/** What the load being recorded started from: each watched object's own properties. */
let recording: Map<object, Map<PropertyKey, PropertyDescriptor>> | undefined;
let leftovers: Leftover[] = [];
let required: string[] = [];
let timers: { kind: TimerKind; handle: unknown }[] = [];

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
  const before = snapshot(watched);
  try {
    return await setUp();
  } finally {
    const base = recording;
    for (const [target, was] of before) {
      for (const [key, now] of changes(target, was)) {
        if (now) base.get(target)?.set(key, now);
        else base.get(target)?.delete(key);
      }
    }
    const added = watchedObjects(new Set(watched.map(({ target }) => target)));
    watched.push(...added);
    for (const [target, properties] of snapshot(added)) base.set(target, properties);
  }
}

/** Runs `load`, noting what it changed of what is watched, for `forgetLoadLeftovers` to undo. */
export async function recordLoad<T>(load: () => Promise<T>): Promise<T> {
  if (!watched) return load();
  recording = snapshot(watched);
  const requiredBefore = new Set(Object.keys(requireCache));
  const stopTracking = trackTimers((kind, handle) => timers.push({ kind, handle }));
  try {
    return await load();
  } finally {
    stopTracking();
    const before = recording;
    recording = undefined;
    for (const { target, name } of watched) {
      const was = before.get(target) ?? new Map<PropertyKey, PropertyDescriptor>();
      for (const [key] of changes(target, was)) {
        if (!(target === globalThis && isOwnSlot(key))) leftovers.push({ target, name, key, before: was.get(key) });
      }
    }
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
  for (const { kind, handle } of timers) {
    if (kind === "setImmediate") clearImmediate(handle as NodeJS.Immediate);
    else clearTimeout(handle as NodeJS.Timeout);
  }
  leftovers = [];
  required = [];
  timers = [];
  return stuck;
}

const TIMER_KINDS = ["setTimeout", "setInterval", "setImmediate"] as const;
type TimerKind = (typeof TIMER_KINDS)[number];

/** Has `made` told of every timer made through the global functions until the returned function is called. */
function trackTimers(made: (kind: TimerKind, handle: unknown) => void): () => void {
  const own = new Map(TIMER_KINDS.map((kind) => [kind, Object.getOwnPropertyDescriptor(globalThis, kind) as PropertyDescriptor]));
  for (const [kind, descriptor] of own) {
    const original = descriptor.value as (...args: unknown[]) => unknown;
    const tracked = (...args: unknown[]) => {
      const handle = original(...args);
      made(kind, handle);
      return handle;
    };
    // util.promisify(setTimeout) and the like read properties of the function itself.
    Object.defineProperties(tracked, Object.getOwnPropertyDescriptors(original));
    Object.defineProperty(globalThis, kind, { ...descriptor, value: tracked });
  }
  return () => {
    for (const [kind, descriptor] of own) Object.defineProperty(globalThis, kind, descriptor);
  };
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

function snapshot(objects: readonly Watched[]): Map<object, Map<PropertyKey, PropertyDescriptor>> {
  return new Map(objects.map(({ target }) => [target, ownProperties(target)]));
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
