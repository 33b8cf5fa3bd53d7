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
 * - Entries the load put in or took from a Map or Set that such an object
 *   holds as a property (zod's schema registry, whose ids `.meta({ id })`
 *   declares): the next load would find the last one's schemas there.
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

/** A Map or Set and its entries, in order. */
type Collection = Map<unknown, unknown> | Set<unknown>;

/** Watched objects as they were: each one's own properties, and the entries of each collection one holds. */
interface Snapshot {
  readonly properties: Map<object, Map<PropertyKey, PropertyDescriptor>>;
  readonly entries: Map<Collection, unknown[]>;
}

let watched: Watched[] | undefined;
/** What the load being recorded started from. */
let recording: Snapshot | undefined;
let leftovers: Leftover[] = [];
/** Collections a load changed, with the entries they had before it. */
let changedCollections = new Map<Collection, unknown[]>();
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
    // The load's starting point becomes what the setup left, and what it put on the global object joins it.
    const base = recording;
    for (const [target, was] of before.properties) {
      for (const [key, now] of changes(target, was)) {
        if (now) base.properties.get(target)?.set(key, now);
        else base.properties.get(target)?.delete(key);
      }
    }
    for (const [collection, was] of before.entries) if (!sameEntries(was, entriesOf(collection))) base.entries.set(collection, entriesOf(collection));
    const added = watchedObjects(new Set(watched.map(({ target }) => target)));
    watched.push(...added);
    const addedThen = snapshot(added);
    for (const [target, properties] of addedThen.properties) base.properties.set(target, properties);
    for (const [collection, entries] of addedThen.entries) base.entries.set(collection, entries);
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
    for (const [collection, was] of before.entries) {
      if (!changedCollections.has(collection) && !sameEntries(was, entriesOf(collection))) changedCollections.set(collection, was);
    }
    for (const { target, name } of watched) {
      const was = before.properties.get(target) ?? new Map<PropertyKey, PropertyDescriptor>();
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
  for (const [collection, entries] of changedCollections) refill(collection, entries);
  for (const id of required) delete requireCache[id];
  for (const { kind, handle } of timers) {
    if (kind === "setImmediate") clearImmediate(handle as NodeJS.Immediate);
    else clearTimeout(handle as NodeJS.Timeout);
  }
  leftovers = [];
  changedCollections = new Map();
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


/** A collection's entries, read through the built-in methods (a subclass may override its own). */
function entriesOf(collection: Collection): unknown[] {
  return collection instanceof Map ? [...Map.prototype.entries.call(collection)].flat() : [...Set.prototype.values.call(collection)];
}

function sameEntries(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((entry, at) => Object.is(entry, b[at]));
}

/** Puts `entries` (as entriesOf lists them) back as a collection's only ones. */
function refill(collection: Collection, entries: readonly unknown[]): void {
  if (collection instanceof Map) {
    Map.prototype.clear.call(collection);
    for (let at = 0; at < entries.length; at += 2) Map.prototype.set.call(collection, entries[at], entries[at + 1]);
  } else {
    Set.prototype.clear.call(collection);
    for (const entry of entries) Set.prototype.add.call(collection, entry);
  }
}

/** `objects` as they are now: their own properties, and the entries of each Map and Set one holds as a data property. */
function snapshot(objects: readonly Watched[]): Snapshot {
  const properties = new Map(objects.map(({ target }) => [target, ownProperties(target)]));
  const entries = new Map<Collection, unknown[]>();
  for (const own of properties.values()) {
    for (const { value } of own.values()) if (value instanceof Map || value instanceof Set) entries.set(value, entriesOf(value));
  }
  return { properties, entries };
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
