/**
 * `sluice exp run`: build variants of the pipeline without touching the
 * committed state. Each experiment is built by a `sluice run` of its own
 * scratch copy of the workspace (exp-scratch.ts), its params-file keys
 * written into the copy's params files and its pipeline.ts params passed as
 * `--set`; the copy shares the workspace's cache, so what one built is a hit
 * for the others and for the workspace.
 *
 *   lock workspace -> expand grid, name -> (--queue: record, done)
 *     -> per experiment, at most --jobs at once: copy -> sluice run -> read params, metrics, keys -> record -> drop copy
 *
 * The workspace lock is held throughout: a `sluice run` or `gc` of the
 * workspace waits, so nothing collects what an experiment is writing.
 * Ctrl-C stops every running build; an interrupted experiment is not
 * recorded (a queued one stays queued), one that finished stays recorded.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { openCache } from "../cache/index.js";
import type { StageId, Workspace } from "../pipeline/index.js";
import { writeErr } from "../report/index.js";
import { ok } from "../util/result.js";
import { expandGrid, nameExperiments } from "./exp-grid.js";
import { makeScratch, removeScratch } from "./exp-scratch.js";
import { PIPELINE_PARAMS } from "./exp-views.js";
import { readExperiments, writeExperiments, type Experiment, type ExperimentValue } from "./experiments-file.js";
import { refuse, refuseWith, type OpFailure, type OpResult } from "./failure.js";
import { parseParamOverrides } from "./param-overrides.js";
import type { ParamOverrides } from "./run-request.js";
import { takeWorkspaceLock, whileHandlingSignals, type LoadedWorkspace } from "./run-once.js";
import { metricsOn, paramsOn } from "./tracked-values.js";
import { workspaceFiles } from "./output-files.js";

/** What `exp run` is asked to do. */
export interface ExpRunRequest {
  /** `--set` values as given; a comma-separated list of values makes a grid. */
  readonly set: readonly string[];
  readonly name: string | undefined;
  readonly targets: readonly string[];
  /** Record the experiments without running them. */
  readonly queue: boolean;
  /** Run every queued experiment. */
  readonly runAll: boolean;
  /** Experiments built at once; each build gets an equal share of the cores. */
  readonly jobs: number;
  readonly wait: boolean;
  /** Show each build's stage logs, hits' too (`--verbose`, passed on to each build). */
  readonly verbose: boolean;
}

/** What an `exp run` did: experiments queued, experiments built (done or failed), and how it failed if it did. */
export interface ExpRunOutcome {
  readonly queued: readonly Experiment[];
  readonly finished: readonly Experiment[];
  readonly failure: OpFailure | undefined;
}

/** Runs (or queues) the requested experiments; see the file comment. */
export async function runExperiments(loaded: LoadedWorkspace, request: ExpRunRequest, controller: AbortController): Promise<OpResult<ExpRunOutcome>> {
  if (request.runAll && (request.set.length > 0 || request.name !== undefined || request.queue)) {
    return refuse("usage", "--run-all runs the queued experiments as they were recorded: give it no --set, --name or --queue");
  }
  if (!Number.isInteger(request.jobs) || request.jobs < 1) return refuse("usage", `--jobs must be a positive whole number (got ${request.jobs})`);
  const cache = await openCache(loaded.root);
  const lock = await takeWorkspaceLock(cache, request.wait, { onWaitForLock: (holder) => writeErr(`waiting for the workspace lock held by ${holder}`) });
  if (!lock.ok) return lock;
  try {
    const recorded = readExperiments(loaded.root);
    if (!recorded.ok) return recorded;
    const experiments = recorded.value;
    const pending = request.runAll ? ok(experiments.filter((e) => e.status === "queued")) : newExperiments(loaded.workspace, request, experiments);
    if (!pending.ok) return pending;
    const todo = pending.value;
    if (request.queue) {
      const written = writeExperiments(loaded.root, [...experiments, ...todo]);
      return written.ok ? ok({ queued: todo, finished: [], failure: undefined }) : written;
    }
    const finished = await whileHandlingSignals(controller, () => buildAll(loaded, todo, experiments, request, controller.signal));
    if (!finished.ok) return finished;
    const failed = finished.value.filter((e) => e.status === "failed").map((e) => e.name);
    const failure: OpFailure | undefined = controller.signal.aborted
      ? { kind: "interrupted", message: "interrupted: the experiments that finished are recorded; the others were not (a queued one stays queued)" }
      : failed.length > 0
        ? { kind: "failed", message: `experiment${failed.length > 1 ? "s" : ""} ${failed.join(", ")} failed (their stage lines above say why)` }
        : undefined;
    return ok({ queued: [], finished: finished.value, failure });
  } finally {
    if (lock.value.ok) await lock.value.lock.release();
  }
}

/** The experiments a `--set` grid asks for, checked and named, not yet run. */
function newExperiments(workspace: Workspace, request: ExpRunRequest, recorded: readonly Experiment[]): OpResult<Experiment[]> {
  const grid = expandGrid(request.set);
  if (!grid.ok) return refuse("usage", grid.problem);
  for (const point of grid.points) {
    const parsed = parseParamOverrides(workspace, point);
    if (!parsed.ok) return refuseWith(parsed.error);
  }
  const named = nameExperiments(grid.points, request.name, new Set(recorded.map((e) => e.name)));
  if (!named.ok) return refuse("usage", named.problem);
  const queuedAt = new Date().toISOString();
  return ok(grid.points.map((set, i) => ({
    name: named.names[i] as string,
    status: "queued" as const,
    queuedAt,
    targets: request.targets,
    set,
    params: [],
    metrics: [],
    stages: [],
  })));
}

/**
 * Builds `todo`, at most `jobs` at once (and no more than there are cores),
 * recording each as it finishes (so Ctrl-C loses none that finished). Each
 * build runs `cores / lanes` stages at once (at least one), so the
 * experiments together use the cores once over, not `jobs` times over.
 */
async function buildAll(
  loaded: LoadedWorkspace,
  todo: readonly Experiment[],
  recorded: readonly Experiment[],
  { jobs, verbose }: ExpRunRequest,
  signal: AbortSignal,
): Promise<OpResult<Experiment[]>> {
  // Finished experiments by name; the list and the result keep the grid's order, whichever build ends first.
  const done = new Map<string, Experiment>();
  const known = new Set(recorded.map((e) => e.name));
  const inOrder = (): Experiment[] => [
    // A queued experiment keeps its place in the list; new ones go last, in the grid's order.
    ...recorded.map((e) => done.get(e.name) ?? e),
    ...todo.flatMap((e) => (known.has(e.name) ? [] : (done.get(e.name) ?? []))),
  ];
  const cores = availableParallelism();
  const lanes = Math.min(jobs, todo.length, cores);
  const runArgs = ["--jobs", String(Math.max(1, Math.floor(cores / Math.max(1, lanes)))), ...(verbose ? ["--verbose"] : [])];
  let next = 0;
  let problem: OpFailure | undefined;
  const lane = async (): Promise<void> => {
    while (!signal.aborted && problem === undefined && next < todo.length) {
      const experiment = todo[next++] as Experiment;
      const built = await buildOne(loaded, experiment, runArgs, signal);
      if (!built.ok) {
        problem = built.error;
        return;
      }
      if (built.value === undefined) continue; // interrupted: not recorded
      done.set(built.value.name, built.value);
      const written = writeExperiments(loaded.root, inOrder());
      if (!written.ok) problem = written.error;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  return problem ? { ok: false, error: problem } : ok(todo.flatMap((e) => done.get(e.name) ?? []));
}

/** One experiment built in its scratch copy: recorded done or failed, or undefined when interrupted. */
async function buildOne(loaded: LoadedWorkspace, experiment: Experiment, runArgs: readonly string[], signal: AbortSignal): Promise<OpResult<Experiment | undefined>> {
  const parsed = parseParamOverrides(loaded.workspace, experiment.set);
  if (!parsed.ok) return refuseWith(parsed.error);
  const inline = inlineSets(parsed.value);
  const scratch = makeScratch(loaded.workspace, experiment.name, parsed.value.files);
  if (!scratch.ok) return scratch;
  try {
    writeErr(`experiment ${experiment.name}: ${experiment.set.length > 0 ? experiment.set.join(" ") : "the workspace's params"}`);
    const args = ["run", ...experiment.targets, "--json", ...runArgs, ...inline.flatMap((s) => ["--set", s])];
    const run = await sluiceIn(scratch.value, args, experiment.name, signal);
    if (run.code === 130 || run.code === 143 || signal.aborted) return ok(undefined);
    if (run.document === undefined) {
      return refuse(run.code === 2 ? "usage" : "failed", `experiment ${experiment.name}: sluice run exited ${run.code} without a result (its lines above say why)`);
    }
    const scratchWorkspace: Workspace = { ...loaded.workspace, root: scratch.value };
    const [params, metrics] = [paramsOn(scratchWorkspace, { kind: "workspace" }), await metricsOn(scratchWorkspace, workspaceFiles(scratchWorkspace.root))];
    return ok({
      ...experiment,
      status: run.code === 0 ? "done" : "failed",
      finishedAt: new Date().toISOString(),
      params: [...params.values, ...inlineValues(parsed.value)],
      metrics: metrics.values,
      stages: run.document.stages.flatMap((s) => (s.key === null ? [] : [{ id: s.id, key: s.key, status: s.status }])),
    });
  } finally {
    removeScratch(scratch.value);
  }
}

/** The `--set` values of params declared in pipeline.ts, which no file holds: passed on to the experiment's run. */
function inlineSets(overrides: ParamOverrides): string[] {
  return [...overrides.inline].flatMap(([id, values]) =>
    Object.entries(values).map(([param, value]) => `${id}.${param}=${typeof value === "string" ? value : JSON.stringify(value)}`),
  );
}

/** The pipeline.ts params an experiment set, as `pipeline.ts` values keyed `<stage id>.<param>`. */
function inlineValues(overrides: ParamOverrides): ExperimentValue[] {
  return [...overrides.inline].flatMap(([id, values]) => Object.entries(values).map(([param, value]) => ({ path: PIPELINE_PARAMS, key: `${id}.${param}`, value })));
}

/** The part of `sluice run --json` an experiment reads. */
interface RunResult {
  readonly code: number;
  readonly document: { readonly stages: readonly { readonly id: StageId; readonly status: string; readonly key: string | null }[] } | undefined;
}

/**
 * `sluice <args>` in `cwd`, its progress shown as `[name] <line>`. It runs
 * in a process group of its own, so a Ctrl-C at the terminal reaches this
 * process only, which passes one SIGINT on: a build stops once, cleanly.
 */
function sluiceIn(cwd: string, args: readonly string[], name: string, signal: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1] ?? "sluice", ...args], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const stop = () => child.kill("SIGINT");
    signal.addEventListener("abort", stop, { once: true });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    createInterface({ input: child.stderr }).on("line", (line) => writeErr(`[${name}] ${line}`));
    child.on("error", reject);
    child.on("close", (code, killedBy) => {
      signal.removeEventListener("abort", stop);
      let document: RunResult["document"];
      try {
        const parsed = JSON.parse(stdout) as RunResult["document"];
        document = parsed && Array.isArray(parsed.stages) ? parsed : undefined;
      } catch {
        document = undefined;
      }
      resolve({ code: code ?? (killedBy === "SIGINT" ? 130 : 1), document });
    });
  });
}
