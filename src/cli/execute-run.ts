/**
 * `sluice run`, shared by `run --watch` and `watch`: parse the options, call
 * the run operation (src/ops/run-once.ts), render the result, set the exit code.
 */
import type { BuildObserver, BuildResult, ExecutorChooser } from "../exec/index.js";
import { reportWatchSet, runOnce } from "../ops/index.js";
import { loadCiSummary, loadListrReporter, plainReporter, runDocument, writeOut } from "../report/index.js";
import { loadContext, reportDiagnostics, type Context, type GlobalOptions } from "./context.js";
import { exitWith, exitWithFailure } from "./exit-code.js";
import { parseParamOverrides, parseResources, type RunArgs } from "./run-options.js";

export { EXIT } from "./exit-code.js";

export async function executeRun(argv: RunArgs): Promise<void> {
  if (argv.watch) {
    const { watchWorkspace } = await import("./watch-command.js");
    return watchWorkspace(argv);
  }
  const context = await loadContext(argv);
  if (!context) return;
  return runLoaded(context, argv);
}

/**
 * One run of a loaded workspace, rendered, its exit code set. `executorFor`
 * replaces the executors the declarations and `--executor` choose (a
 * cluster job's own run).
 */
export async function runLoaded(context: Context, argv: RunArgs, executorFor?: ExecutorChooser): Promise<void> {
  reportWatchSet(context.workspace);
  const overrides = parseParamOverrides(context.workspace, argv.set);
  if (!overrides.ok) return reportDiagnostics(overrides.error);
  const resources = parseResources(argv.resources);
  if (!resources.ok) return reportDiagnostics(resources.error);
  const observer = await pickObserver(argv);
  const request = { ...argv, overrides: overrides.value, resources: resources.value };
  const outcome = await runOnce(context, request, observer, new AbortController(), executorFor);
  if (!outcome.ok) return exitWithFailure(outcome.error);
  const { build, failure } = outcome.value;
  if (failure?.message !== undefined) exitWithFailure(failure); // said before the summary, as the run ends
  await observer.finish(build.results);
  if (process.env["GITHUB_STEP_SUMMARY"] || process.env["GITHUB_ACTIONS"] === "true") {
    // Loaded only in CI: a local run pays nothing for the GitHub summary.
    await (await loadCiSummary()).reportToCi(build.results, context.dag.stages, process.env);
  }
  if (argv.json) writeOut(JSON.stringify(runDocument(build.ok && !build.interrupted, build.results, build.interrupted), null, 2));
  exitWith(failure?.kind ?? "ok");
}

type Reporter = BuildObserver & { finish(results: BuildResult["results"]): Promise<void> };

/** listr2 on an interactive terminal (loaded only then), plain lines otherwise. */
async function pickObserver(argv: GlobalOptions): Promise<Reporter> {
  // A terminal too narrow to draw a task list (or one reporting no width) gets plain lines.
  const interactive = process.stderr.isTTY && (process.stderr.columns ?? 0) >= 40 && !process.env["CI"] && !argv.json;
  if (interactive) {
    const { listrReporter } = await loadListrReporter();
    const listr = listrReporter();
    return { ...listr, finish: () => listr.done() };
  }
  const plain = plainReporter({ logs: !argv.json || argv.verbose === true, verbose: argv.verbose === true });
  return {
    ...plain,
    finish: async (results) => {
      plain.summary(results);
    },
  };
}
