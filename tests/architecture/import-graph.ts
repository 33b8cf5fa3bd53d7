/**
 * The import graph of `src/` and `contracts/` and the rules it must keep:
 * imports flow down the layer table of `layers.ts`, a folder is entered
 * through its `index.ts`, and no modules load each other in a circle.
 * Each broken rule is one line naming the importing file, the line of the
 * import and the rule, so a failing test says what to change.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { importStatements, resolveLocal } from "../../src/pipeline/index.js";
import { LAYERS, OPEN_FOLDERS, type LayerName } from "./layers.js";

/** The trees the rules cover, relative to the repository root. */
export const CHECKED_TREES = ["src", "contracts"] as const;

/** One import of one checked file by another. */
export interface ImportEdge {
  /** Importing file, relative to the root, `/`-separated. */
  readonly from: string;
  /** Imported file, relative to the root, `/`-separated. */
  readonly to: string;
  readonly line: number;
  /** Erased when compiled: shapes the design, loads nothing. */
  readonly typeOnly: boolean;
  /** `import()`: loads when called, so it cannot close a load-order cycle. */
  readonly dynamic: boolean;
}

/** Every `.ts` source file of the checked trees, relative to `root`. */
export function sourceFiles(root: string): string[] {
  return CHECKED_TREES.flatMap((tree) =>
    readdirSync(join(root, tree), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
      .map((file) => toPosix(join(tree, file))),
  ).sort();
}

/** The imports between checked files (packages and builtins left out). */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const checked = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const absolute = join(root, from);
    for (const statement of importStatements(readFileSync(absolute, "utf8"))) {
      if (!statement.specifier.startsWith(".")) continue;
      const target = resolveLocal(dirname(absolute), statement.specifier);
      if (!target) continue; // tsc reports a missing module; this check is about direction
      const to = toPosix(relative(root, target));
      if (!checked.has(to)) continue;
      edges.push({ from, to, line: statement.line, typeOnly: statement.typeOnly, dynamic: statement.dynamic });
    }
  }
  return edges;
}

/** The layer owning a file: the longest matching path of the table. */
export function layerOf(file: string): LayerName | undefined {
  let best: { name: LayerName; length: number } | undefined;
  for (const [name, layer] of Object.entries(LAYERS) as [LayerName, (typeof LAYERS)[LayerName]][]) {
    for (const path of layer.paths) {
      const owns = file === path || file.startsWith(`${path}/`);
      if (owns && (!best || path.length > best.length)) best = { name, length: path.length };
    }
  }
  return best?.name;
}

/** The layers `name` may import: those it uses, and what they may import, transitively. */
export function reachableLayers(name: LayerName): ReadonlySet<LayerName> {
  const reached = new Set<LayerName>();
  const pending = [...LAYERS[name].uses];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (reached.has(next)) continue;
    reached.add(next);
    pending.push(...LAYERS[next].uses);
  }
  return reached;
}

/** Checked files that belong to no layer: the table must place every folder. */
export function unplacedFiles(files: readonly string[]): string[] {
  return files.filter((file) => layerOf(file) === undefined).map((file) => `${file}: in no layer of tests/architecture/layers.ts; add its folder there`);
}

/** Imports that go up the table or sideways between layers that do not reach each other. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const edge of edges) {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    if (!from || !to || from === to || reachableLayers(from).has(to)) continue;
    const where = `${edge.from}:${edge.line}`;
    if (from === "contracts") {
      problems.push(`${where}: imports ${edge.to}, but contracts/ imports nothing from src/ (move what it needs into contracts/)`);
      continue;
    }
    const direction = reachableLayers(to).has(from) ? "upward" : "sideways";
    problems.push(
      `${where}: imports ${edge.to}: ${from} (${LAYERS[from].holds}) may not import ${to} (${LAYERS[to].holds}), ${direction} in the layer table`,
    );
  }
  return problems;
}

/**
 * Imports that reach into another folder past its `index.ts`. The folder
 * that must be entered is the outermost one holding the target but not the
 * importer: `src/exec` importing `src/cache/remote/http-store.ts` must go
 * through `src/cache/index.ts`. A dynamic `import()` may instead name the
 * `index.ts` of a nested folder (`src/cache/remote/index.ts`), so a part
 * that is rarely used loads only when it is.
 */
export function indexViolations(root: string, edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const edge of edges) {
    const entered = enteredFolder(edge.from, edge.to);
    if (!entered || OPEN_FOLDERS.includes(entered)) continue;
    const index = `${entered}/index.ts`;
    if (edge.to === index || (edge.dynamic && edge.to.startsWith(`${entered}/`) && edge.to.endsWith("/index.ts"))) continue;
    const where = `${edge.from}:${edge.line}`;
    problems.push(
      existsSync(join(root, index))
        ? `${where}: imports ${edge.to} past ${index}; import it from the index (export it there if it is missing)`
        : `${where}: imports ${edge.to}, but ${entered} has no index.ts naming its public surface`,
    );
  }
  return problems;
}

/** The outermost folder that holds `to` and not `from`, if `to` lies in one. */
function enteredFolder(from: string, to: string): string | undefined {
  const fromDirs = from.split("/").slice(0, -1);
  const toDirs = to.split("/").slice(0, -1);
  let shared = 0;
  while (shared < fromDirs.length && shared < toDirs.length && fromDirs[shared] === toDirs[shared]) shared++;
  if (shared === toDirs.length) return undefined; // `to` sits in a folder that also holds `from`
  // `src/index.ts` is the package's entry, not the surface of `src/`:
  // importing `src/cache/...` from outside `src/` enters `src/cache`.
  const depth = shared === 0 && toDirs[0] === "src" ? 2 : shared + 1;
  return toDirs.slice(0, depth).join("/");
}

/**
 * Runtime import cycles: modules that load each other, by static value
 * imports (type-only imports are erased; dynamic ones load later). Each is
 * one line walking the circle with the line of every import.
 */
export function runtimeCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, ImportEdge[]>();
  for (const edge of edges) {
    if (edge.typeOnly || edge.dynamic) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge]);
  }
  return stronglyConnected(next)
    .filter((component) => component.length > 1 || (next.get(component[0] as string) ?? []).some((edge) => edge.to === edge.from))
    .map((component) => describeCycle(component, next));
}

/** Tarjan's algorithm over the runtime edges: the groups of files that reach each other. */
function stronglyConnected(next: ReadonlyMap<string, readonly ImportEdge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const { to } of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file) as number, index.get(to) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    components.push(component.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) visit(file);
  return components;
}

/** One circle through a component, from its first file back to it, as `a:line -> b:line -> a`. */
function describeCycle(component: readonly string[], next: ReadonlyMap<string, readonly ImportEdge[]>): string {
  const members = new Set(component);
  const start = component[0] as string;
  // Breadth-first from the start back to itself, staying inside the component.
  const cameFrom = new Map<string, ImportEdge>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const file = queue[head] as string;
    for (const edge of next.get(file) ?? []) {
      if (!members.has(edge.to) || cameFrom.has(edge.to)) continue;
      cameFrom.set(edge.to, edge);
      if (edge.to === start) break;
      queue.push(edge.to);
    }
    if (cameFrom.has(start)) break;
  }
  const hops: ImportEdge[] = [];
  let edge = cameFrom.get(start);
  while (edge) {
    hops.unshift(edge);
    edge = edge.from === start ? undefined : cameFrom.get(edge.from);
  }
  return `runtime import cycle: ${hops.map((edge) => `${edge.from}:${edge.line}`).join(" -> ")} -> ${start}`;
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}
