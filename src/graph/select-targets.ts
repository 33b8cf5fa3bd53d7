/**
 * Target selection: `all`, a project name, a stage id, or a glob over stage
 * ids (`*:evaluate`). A selected stage brings its upstream along.
 */
import type { Diagnostic, StageId } from "../pipeline/index.js";
import { closestName } from "../util/did-you-mean.js";
import { fail, ok, type Result } from "../util/result.js";
import { withUpstream, type Dag } from "./dag.js";

/** The stages matched by the targets themselves (before upstream is added). */
export function matchTargets(dag: Dag, targets: readonly string[]): Result<Set<StageId>, Diagnostic[]> {
  const ids = [...dag.stages.keys()];
  const projects = new Set([...dag.stages.values()].map((s) => s.project));
  const matched = new Set<StageId>();
  const problems: Diagnostic[] = [];
  for (const target of targets.length === 0 ? ["all"] : targets) {
    let hits: StageId[];
    if (target === "all") hits = ids;
    else if (projects.has(target)) hits = ids.filter((id) => id.startsWith(`${target}:`));
    else if (/[*?]/.test(target)) hits = ids.filter((id) => globToRegExp(target).test(id));
    else {
      hits = ids.filter((id) => id === target);
      // A bare stage name is enough when only one project has such a stage.
      if (hits.length === 0) {
        const byName = ids.filter((id) => id.endsWith(`:${target}`));
        if (byName.length === 1) hits = byName;
      }
    }
    // `all` of a workspace that declares no stage yet is nothing to do, not a mistake.
    if (hits.length === 0 && target !== "all") {
      problems.push({ reason: "unknown-target", message: `unknown target "${target}"${suggestion(target, ids, projects)}` });
    }
    for (const id of hits) matched.add(id);
  }
  return problems.length > 0 ? fail(problems) : ok(matched);
}

/** The stages a run of `targets` plans: the matches plus their upstream. */
export function selectTargets(dag: Dag, targets: readonly string[]): Result<Set<StageId>, Diagnostic[]> {
  const matched = matchTargets(dag, targets);
  return matched.ok ? ok(withUpstream(dag, matched.value)) : matched;
}

/** `*` matches within and across the `:`; `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

function suggestion(target: string, ids: readonly string[], projects: ReadonlySet<string>): string {
  const near = closestName(target, [...projects, ...ids]);
  if (near) return ` (did you mean "${near}"?)`;
  // A bare stage name: offer every stage id of the nearest name.
  const names = new Set(ids.map((id) => id.slice(id.indexOf(":") + 1)));
  const name = closestName(target, names);
  if (name) return ` (did you mean ${ids.filter((id) => id.endsWith(`:${name}`)).map((id) => `"${id}"`).join(" or ")}?)`;
  return ` (targets: all, a project (${[...projects].sort().join(", ")}), a stage id, or a glob like "*:train")`;
}
