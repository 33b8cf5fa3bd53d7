/**
 * `sluice exp apply <name>`: the workspace takes an experiment's params and
 * outputs. Its params are written into the params files (each key set in
 * place, comments and other keys kept) and its outputs restored from the
 * cache by the run records it built, so the next `sluice run` finds every
 * stage a hit and reruns nothing.
 *
 * Refused, with nothing written, when: the experiment did not finish; it
 * set a pipeline.ts param (apply writes no TypeScript); it was built under
 * other declarations (today's pipeline keys its stages otherwise); its
 * results are no longer in the cache; or a params-file key it would change holds an edit
 * not committed to git, which would be lost (`--force` overwrites it).
 * Outside a git repository there is no commit to compare with, and the
 * keys are written as they are.
 */
import { join } from "node:path";
import { openCache, parseStageKey, referencedObjects, saveSession, type CacheSession, type RunRecord } from "../cache/index.js";
import { planBuild, restoreOutputs } from "../exec/index.js";
import { withUpstream } from "../graph/index.js";
import { parseStructured, selectKey, type Json, type StageId, type Workspace } from "../pipeline/index.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { ok } from "../util/result.js";
import { readExperiments, type Experiment } from "./experiments-file.js";
import { PIPELINE_PARAMS, unknownExperiment } from "./exp-views.js";
import { refuse, type OpResult } from "./failure.js";
import { parseParamOverrides, workspaceAsSet } from "./param-overrides.js";
import type { ParamOverrides } from "./run-request.js";
import { revisionProblem } from "./revision-files.js";
import { takeWorkspaceLock, type LoadedWorkspace } from "./run-once.js";
import { declaredParams, paramsOn, type TrackedValue } from "./tracked-values.js";

/** What `exp apply` changed: params keys written, outputs restored. */
export interface ApplyReport {
  readonly name: string;
  readonly params: readonly { readonly path: string; readonly key: string; readonly old: Json | undefined; readonly new: Json }[];
  /** The params files written: those holding `params`, and any whose keys were set in other words only (`0.10` for `0.1`). */
  readonly written: readonly string[];
  readonly restored: readonly string[];
}

export async function applyExperiment(loaded: LoadedWorkspace, name: string, options: { readonly force: boolean; readonly wait: boolean }): Promise<OpResult<ApplyReport>> {
  const cache = await openCache(loaded.root);
  const lock = await takeWorkspaceLock(cache, options.wait, {});
  if (!lock.ok) return lock;
  try {
    const recorded = readExperiments(loaded.root);
    if (!recorded.ok) return recorded;
    const experiment = recorded.value.find((e) => e.name === name);
    if (!experiment) return refuse("usage", unknownExperiment(name, recorded.value));
    if (experiment.status !== "done") {
      return refuse("usage", `experiment ${name} is ${experiment.status}: only a finished experiment can be applied${experiment.status === "queued" ? " (sluice exp run --run-all runs the queue)" : ""}`);
    }
    const overrides = parseParamOverrides(loaded.workspace, experiment.set);
    if (!overrides.ok) return refuse("usage", `experiment ${experiment.name} set ${experiment.set.join(", ")}, which today's pipeline refuses: ${overrides.error[0]?.message ?? ""}`);
    const changes = paramChanges(loaded.workspace, experiment, overrides.value);
    if (!changes.ok) return changes;
    if (!options.force) {
      const unsaved = uncommittedKeys(loaded.workspace, changes.value);
      if (unsaved.length > 0) {
        return refuse("usage", `applying ${name} would overwrite uncommitted edits of ${unsaved.join(", ")}: commit them, or pass --force to overwrite`);
      }
    }
    const current = await builtAsDeclared(cache, loaded, experiment, overrides.value);
    if (!current.ok) return current;
    const records = await recordsOf(cache, loaded.workspace, experiment);
    if (!records.ok) return records;
    const written = writeParams(loaded.workspace, overrides.value);
    const restored: string[] = [];
    for (const [id, record] of records.value) {
      const stage = loaded.workspace.stages.get(id);
      if (!stage) continue;
      const outcome = await restoreOutputs(loaded.root, stage, record, cache.store, cache.statCache);
      if (!outcome.ok) return refuse("failed", `${id}: could not restore its outputs (${outcome.problem.reason}); its params are written, so sluice run rebuilds it`);
      if (outcome.restored) restored.push(...stage.outs.map((o) => o.path));
    }
    await saveSession(cache);
    return ok({ name, params: changes.value.map((c) => ({ path: c.path, key: c.key, old: c.old, new: c.value })), written, restored });
  } finally {
    if (lock.value.ok) await lock.value.lock.release();
  }
}

/**
 * Whether today's declarations, given the experiment's params, still key its
 * stages as it built them. An experiment built before a declaration changed
 * (another key list, an edited command) would restore outputs the next
 * `sluice run` rebuilds anyway, with params that no longer match them:
 * refused instead, saying which stage and how to build the variant again.
 */
async function builtAsDeclared(cache: CacheSession, loaded: LoadedWorkspace, experiment: Experiment, overrides: ParamOverrides): Promise<OpResult<void>> {
  const built = experiment.stages.filter((s) => loaded.workspace.stages.has(s.id as StageId));
  const plan = await planBuild(cache, {
    workspace: workspaceAsSet(loaded.workspace, overrides),
    dag: loaded.dag,
    selected: withUpstream(loaded.dag, built.map((s) => s.id as StageId)),
    params: (stage) => ({ ...stage.params, ...overrides.inline.get(stage.id) }),
  });
  for (const { id, key } of built) {
    const now = plan.results.find((r) => r.id === id)?.key;
    if (now !== key) {
      const again = `sluice exp run ${experiment.set.map((set) => `--set ${set}`).join(" ")}`;
      return refuse("usage", `experiment ${experiment.name} was built under other declarations: ${id} would now be keyed ${now ?? "(not computable)"}, not ${key}; build it again (${again})`);
    }
  }
  return ok(undefined);
}

/** A params-file key the experiment ran with another value than the workspace holds. */
interface ParamChange extends TrackedValue {
  readonly old: Json | undefined;
}

/**
 * The keys the experiment's `--set` changes, each with its value now and as set (read from the
 * file's text before and after), or a refusal when it set params no file holds.
 */
function paramChanges(workspace: Workspace, experiment: Experiment, overrides: ParamOverrides): OpResult<ParamChange[]> {
  const inline = experiment.params.filter((p) => p.path === PIPELINE_PARAMS);
  if (inline.length > 0) {
    const sets = inline.map((p) => `${p.key}=${JSON.stringify(p.value)}`).join(", ");
    return refuse("usage", `experiment ${experiment.name} set params declared in pipeline.ts (${sets}); apply writes only params files: edit pipeline.ts, then sluice run`);
  }
  const files = declaredParams(workspace);
  const changes: ParamChange[] = [];
  for (const [path, text] of overrides.files) {
    const file = files.get(path);
    if (!file) continue;
    const before = parseStructured(textOf(workspace, path), file.format);
    const after = parseStructured(text, file.format);
    for (const key of [...file.keys].sort()) {
      const old = before.ok ? selectKey(before.value, key) : undefined;
      const set = after.ok ? selectKey(after.value, key) : undefined;
      if (!set?.ok) continue;
      const was = old?.ok ? old.value : undefined;
      if (JSON.stringify(was) !== JSON.stringify(set.value)) changes.push({ path, key, value: set.value, old: was });
    }
  }
  return ok(changes);
}

/** The keys among `changes` whose workspace value differs from HEAD's (none outside git). */
function uncommittedKeys(workspace: Workspace, changes: readonly ParamChange[]): string[] {
  if (changes.length === 0 || revisionProblem(workspace.root, "HEAD") !== undefined) return [];
  const committed = new Map(paramsOn(workspace, { kind: "revision", rev: "HEAD" }).values.map((v) => [`${v.path}:${v.key}`, v.value]));
  return changes.filter((c) => JSON.stringify(committed.get(`${c.path}:${c.key}`)) !== JSON.stringify(c.old)).map((c) => `${c.path}:${c.key}`);
}

/** The run records of the experiment's stages, each with every object it needs present; or which is gone. */
async function recordsOf(cache: CacheSession, workspace: Workspace, experiment: Experiment): Promise<OpResult<Map<StageId, RunRecord>>> {
  const records = new Map<StageId, RunRecord>();
  const gone = `the results of experiment ${experiment.name} are no longer in the cache (sluice gc or exp remove dropped them?): run it again with sluice exp run`;
  for (const { id, key } of experiment.stages) {
    if (!workspace.stages.has(id as StageId)) continue;
    const stageKey = parseStageKey(key);
    const { record } = stageKey ? await cache.records.get(stageKey) : { record: undefined };
    if (!record) return refuse("failed", gone);
    for (const digest of await referencedObjects(cache, record)) if (!(await cache.store.has(digest))) return refuse("failed", gone);
    records.set(id as StageId, record);
  }
  return ok(records);
}

/** Writes each params file the experiment set keys of, as it set them, whole and atomically; returns those that changed. */
function writeParams(workspace: Workspace, overrides: ParamOverrides): string[] {
  const written: string[] = [];
  for (const [path, text] of overrides.files) {
    // In other words only (`0.10` for `0.1`) is a change too: the experiment's stages were keyed on those words.
    if (textOf(workspace, path) === text) continue;
    writeFileAtomicSync(join(workspace.root, path), text);
    written.push(path);
  }
  return written;
}

/** A params file's text as this command's load read it: what the overrides were made from. */
function textOf(workspace: Workspace, path: string): string {
  for (const stage of workspace.stages.values()) {
    const file = stage.paramsFiles.find((f) => f.path === path);
    if (file) return file.text;
  }
  return "";
}
