/**
 * The experiments one `exp run` asks for: `--set train.lr=0.05,0.1` names
 * two values, and several such keys name every combination of their values
 * (a grid, as `dvc exp run -S` takes it). Each gets a readable name unless
 * `--name` gives one.
 */
import { EXPERIMENT_NAME } from "./experiments-file.js";

/** The most experiments one grid may expand to. */
export const MAX_GRID = 256;

/**
 * The `--set` values of each grid point, in order (the last key varies
 * fastest). A comma inside brackets, braces or quotes belongs to the value
 * (`--set eta:train.layers=[64,32]` is one value).
 */
export function expandGrid(sets: readonly string[]): { ok: true; points: string[][] } | { ok: false; problem: string } {
  let points: string[][] = [[]];
  for (const set of sets) {
    const eq = set.indexOf("=");
    const values = eq < 0 ? [set] : splitValues(set.slice(eq + 1)).map((value) => `${set.slice(0, eq)}=${value}`);
    points = points.flatMap((point) => values.map((value) => [...point, value]));
    if (points.length > MAX_GRID) return { ok: false, problem: `the --set values make over ${MAX_GRID} experiments; run the grid in parts` };
  }
  return { ok: true, points };
}

/**
 * A name for each point that no recorded experiment (and no earlier point)
 * has: `--name` itself for one point, `<name>-1`.. for several; otherwise
 * made of the keys' last parts and values (`max_features-50-lr-0.1`), with
 * `-2`.. added where one exists. An explicit name that exists is refused.
 */
export function nameExperiments(points: readonly (readonly string[])[], given: string | undefined, taken: ReadonlySet<string>): { ok: true; names: string[] } | { ok: false; problem: string } {
  if (given !== undefined && !EXPERIMENT_NAME.test(given)) {
    return { ok: false, problem: `--name ${JSON.stringify(given)}: a name is letters, digits, '.', '_' and '-' (at most 64, not starting with '.', '_' or '-')` };
  }
  const used = new Set(taken);
  const names: string[] = [];
  for (const [index, point] of points.entries()) {
    if (given !== undefined) {
      const name = points.length === 1 ? given : `${given}-${index + 1}`;
      if (used.has(name)) return { ok: false, problem: `an experiment named ${name} exists: choose another --name, or remove it (sluice exp remove ${name})` };
      used.add(name);
      names.push(name);
      continue;
    }
    const base = readableName(point);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base.slice(0, 60)}-${n}`;
    used.add(name);
    names.push(name);
  }
  return { ok: true, names };
}

/** `featurize.max_features=50` -> `max_features-50`, joined for several keys; `exp` for none. */
function readableName(point: readonly string[]): string {
  const parts = point.map((set) => {
    const eq = set.indexOf("=");
    const key = set.slice(0, eq < 0 ? set.length : eq);
    return `${key.split(/[.:]/).at(-1) ?? key}-${eq < 0 ? "" : set.slice(eq + 1)}`;
  });
  const name = (parts.join("-") || "exp").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._-]+/, "").slice(0, 56);
  return name === "" ? "exp" : name;
}

/** Splits a value list on commas outside brackets, braces and quotes. */
function splitValues(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      values.push(text.slice(start, i));
      start = i + 1;
    }
  }
  values.push(text.slice(start));
  return values;
}
