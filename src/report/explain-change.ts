/**
 * Says which key components changed between two runs of a stage, in the
 * words `explain`, `--dry-run` and `status --locked` use: "params.lr 0.1 -> 0.2",
 * "dep table (eta:features.table) changed", "source projects/eta/raw.csv changed",
 * "code projects/eta/model.ts changed", "params.yaml:train.lr 0.1 -> 0.2".
 */
import type { KeyComponents } from "../cache/index.js";
import { canonicalJson } from "../util/canonical-json.js";

export function explainChange(before: KeyComponents, after: KeyComponents): string[] {
  const changes: string[] = [];
  if (before.format !== after.format) changes.push(`key format ${before.format} -> ${after.format}`);
  if (before.action !== after.action) changes.push(`action ${before.action} -> ${after.action}`);
  if ((before.cmd ?? "") !== (after.cmd ?? "")) changes.push(`cmd ${JSON.stringify(before.cmd ?? "")} -> ${JSON.stringify(after.cmd ?? "")}`);
  // A params-file value is named as the file and key the user edits ("params.yaml:train.lr 0.1 -> 0.2").
  changes.push(...mapChanges("params", pick(before.params, false), pick(after.params, false), (v) => canonicalJson(v)));
  changes.push(...mapChanges("", pick(before.params, true), pick(after.params, true), (v) => canonicalJson(v), ""));
  changes.push(...writingChanges(before, after));
  const deps = new Set([...Object.keys(before.deps), ...Object.keys(after.deps)]);
  for (const name of [...deps].sort()) {
    const was = before.deps[name];
    const now = after.deps[name];
    if (!was) changes.push(`dep ${name} (${now?.from}) added`);
    else if (!now) changes.push(`dep ${name} (${was.from}) removed`);
    else if (was.from !== now.from) changes.push(`dep ${name} now reads ${now.from} (was ${was.from})`);
    // A source is named by its path, as the user knows it ("source projects/p/raw.txt changed").
    else if (was.digest !== now.digest) changes.push(now.from.startsWith("source ") ? `${now.from} changed` : `dep ${name} (${now.from}) changed`);
    else if ((was.contract ?? "") !== (now.contract ?? "")) changes.push(`dep ${name} (${now.from}) is parsed by a changed contract`);
  }
  const code = new Set([...Object.keys(before.code ?? {}), ...Object.keys(after.code ?? {})]);
  for (const file of [...code].sort()) {
    const was = before.code?.[file];
    const now = after.code?.[file];
    if (was !== now) changes.push(`code ${file} ${!was ? "added" : !now ? "no longer imported" : "changed"}`);
  }
  if ((before.inline ?? "") !== (after.inline ?? "")) changes.push("inline function changed");
  changes.push(...mapChanges("package", before.packages ?? {}, after.packages ?? {}, String, " "));
  changes.push(...mapChanges("out", before.outs, after.outs, String, " "));
  changes.push(...mapChanges("env", before.env, after.env, (v) => JSON.stringify(v), " "));
  changes.push(...mapChanges("probe", before.probes, after.probes, (v) => JSON.stringify(v), " "));
  changes.push(...mapChanges("runtime", before.runtime, after.runtime, String, " "));
  return changes;
}

/**
 * Params-file values that are the same but written otherwise ("params.yaml:train.max_features written 1.0 -> 1"),
 * which the stage's own reader may tell apart. A value that changed is named above.
 */
function writingChanges(before: KeyComponents, after: KeyComponents): string[] {
  if (!before.paramsWritten !== !after.paramsWritten) {
    return [after.paramsWritten ? "params files are now read as written (keyed by an older sluice)" : "params files are no longer read"];
  }
  const changes: string[] = [];
  for (const [name, now] of Object.entries(after.paramsWritten ?? {})) {
    const was = before.paramsWritten?.[name];
    const sameValue = canonicalJson(before.params[name]) === canonicalJson(after.params[name]);
    if (was !== undefined && was !== now && sameValue) changes.push(`${name} written ${was} -> ${now}`);
  }
  return changes;
}

/** The params read from files (named `file:key`), or the declared ones. */
function pick<T>(params: Readonly<Record<string, T>>, fromFiles: boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => name.includes(":") === fromFiles));
}

function mapChanges<T>(
  label: string,
  before: Readonly<Record<string, T>>,
  after: Readonly<Record<string, T>>,
  show: (value: T) => string,
  joiner = ".",
): string[] {
  const changes: string[] = [];
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const name of [...names].sort()) {
    const had = name in before;
    const has = name in after;
    const was = had ? show(before[name] as T) : "";
    const now = has ? show(after[name] as T) : "";
    if (!had) changes.push(`${label}${joiner}${name} added (${now})`);
    else if (!has) changes.push(`${label}${joiner}${name} removed (was ${was})`);
    else if (was !== now) changes.push(`${label}${joiner}${name} ${was} -> ${now}`);
  }
  return changes;
}
