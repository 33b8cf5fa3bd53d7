/**
 * `sluice exp run|show|diff|apply|remove`: experiments, as DVC users know
 * them (`dvc exp run -S`, `dvc exp show`, `dvc exp apply`, `--queue` and
 * `--run-all`). Each subcommand parses, calls one operation of
 * src/ops/experiments.ts, renders.
 */
import { availableParallelism } from "node:os";
import { listedByDefault, loadExperiments } from "../../ops/index.js";
import { renderBuiltExperiments, renderChanges, renderExperimentTable, writeErr, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { loadContext } from "../context.js";
import { exitWith, exitWithFailure } from "../exit-code.js";

const run = defineCommand({
  command: "run [targets..]",
  describe: "Build a variant in a scratch copy of the workspace (sluice.lock and the outputs stay as they are); results go to the cache and to exp show",
  builder: (yargs) =>
    yargs
      .positional("targets", { type: "string", array: true, default: [] as string[], describe: "what to build, as for sluice run (default: all)" })
      .option("set", {
        alias: "S",
        type: "string",
        array: true,
        requiresArg: true,
        default: [] as string[],
        describe: "a params-file key (train.lr=0.1) or a stage param (eta:train.learningRate=0.2); a,b,c tries each value, several keys every combination",
      })
      .option("name", { alias: "n", type: "string", describe: "the experiment's name (default: made of its keys and values); a grid's are <name>-1, <name>-2, .." })
      .option("queue", { type: "boolean", default: false, describe: "record the experiments without building them (exp run --run-all builds them)" })
      .option("run-all", { type: "boolean", default: false, describe: "build every queued experiment" })
      .option("jobs", {
        alias: "j",
        type: "number",
        default: 1,
        describe: `experiments built at once (at most one per core); each gets cores/jobs stage slots, so together they use the ${availableParallelism()} cores once`,
      })
      .option("wait", { type: "boolean", default: true, describe: "wait for another sluice process to release the workspace (--no-wait fails at once)" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const { runExperiments } = await loadExperiments();
    const request = { set: argv.set, name: argv.name, targets: argv.targets, queue: argv.queue, runAll: argv.runAll, jobs: argv.jobs, wait: argv.wait, verbose: argv.verbose === true };
    const outcome = await runExperiments(context, request, new AbortController());
    if (!outcome.ok) return void exitWithFailure(outcome.error);
    const { queued, finished, failure } = outcome.value;
    if (argv.json) writeOut(JSON.stringify({ queued, experiments: finished }, null, 2));
    else {
      for (const e of queued) writeOut(`queued ${e.name}${e.set.length > 0 ? `: ${e.set.join(" ")}` : ""}`);
      if (queued.length > 0) writeOut("build them with: sluice exp run --run-all");
      if (finished.length > 0) {
        writeOut(renderBuiltExperiments(finished));
        writeOut("compare them with: sluice exp show");
      }
      if (queued.length === 0 && finished.length === 0 && argv.runAll) writeOut("no queued experiments (sluice exp run --queue --set ... records some)");
    }
    if (failure) return void exitWithFailure(failure);
    exitWith("ok");
  },
});

const show = defineCommand({
  command: "show",
  describe: "One table: the workspace, then every experiment, their params and metrics (cells that differ from the workspace marked *)",
  builder: (yargs) =>
    yargs
      .option("sort", { type: "string", describe: "order the experiments by a metric (its key, e.g. avg_prec), largest first" })
      .option("ascending", { type: "boolean", default: false, describe: "with --sort: smallest first" })
      .option("all", { type: "boolean", default: false, describe: "every param, not only those some experiment changed" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const { experimentTable } = await loadExperiments();
    const shown = await experimentTable(context.workspace, argv.sort === undefined ? undefined : { metric: argv.sort, ascending: argv.ascending });
    if (!shown.ok) return void exitWithFailure(shown.error);
    if (argv.json) return void writeOut(JSON.stringify(shown.value, null, 2));
    writeOut(renderExperimentTable(shown.value, { allParams: argv.all }));
    if (shown.value.experiments.length === 0) writeErr("no experiments yet: sluice exp run --set <key>=<value> makes one");
  },
});

const diff = defineCommand({
  command: "diff <a> <b>",
  describe: "Compare the params and metrics of two experiments (or of one and the workspace: name it workspace), with the change of each number",
  builder: (yargs) =>
    yargs
      .positional("a", { type: "string", demandOption: true, describe: "an experiment, or workspace" })
      .positional("b", { type: "string", demandOption: true, describe: "an experiment, or workspace" })
      .option("all", { type: "boolean", default: false, describe: "list unchanged values too" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const { diffExperiments } = await loadExperiments();
    const compared = await diffExperiments(context.workspace, argv.a, argv.b);
    if (!compared.ok) return void exitWithFailure(compared.error);
    const [params, metrics] = [compared.value.params, compared.value.metrics].map((rows) => rows.filter((r) => argv.all || listedByDefault(r))) as [typeof compared.value.params, typeof compared.value.metrics];
    if (argv.json) return void writeOut(JSON.stringify({ a: argv.a, b: argv.b, params, metrics }, null, 2));
    const labels = { a: argv.a, b: argv.b };
    writeOut(params.length === 0 ? "params: none changed" : `params:\n${renderChanges(params, labels, false)}`);
    writeOut(metrics.length === 0 ? "metrics: none changed" : `metrics:\n${renderChanges(metrics, labels, false)}`);
  },
});

const apply = defineCommand({
  command: "apply <name>",
  describe: "Write an experiment's params into the params files and restore its outputs from the cache: the next sluice run reruns nothing",
  builder: (yargs) =>
    yargs
      .positional("name", { type: "string", demandOption: true, describe: "the experiment" })
      .option("force", { type: "boolean", default: false, describe: "overwrite params-file values not committed to git" })
      .option("wait", { type: "boolean", default: true, describe: "wait for another sluice process to release the workspace" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const { applyExperiment } = await loadExperiments();
    const applied = await applyExperiment(context, argv.name, { force: argv.force, wait: argv.wait });
    if (!applied.ok) return void exitWithFailure(applied.error);
    if (argv.json) return void writeOut(JSON.stringify(applied.value, null, 2));
    const { params, written, restored } = applied.value;
    for (const p of params) writeOut(`${p.path}: ${p.key} ${JSON.stringify(p.old)} -> ${JSON.stringify(p.new)}`);
    for (const path of written.filter((path) => !params.some((p) => p.path === path))) writeOut(`${path}: the keys the experiment set, in the words it set them in`);
    writeOut(`applied ${argv.name}: ${params.length} param${params.length === 1 ? "" : "s"} written, ${restored.length} output${restored.length === 1 ? "" : "s"} restored from the cache`);
  },
});

const remove = defineCommand({
  command: "remove <names..>",
  describe: "Forget experiments; the next sluice gc may then drop their results from the cache",
  builder: (yargs) =>
    yargs
      .positional("names", { type: "string", array: true, demandOption: true, describe: "the experiments" })
      .option("wait", { type: "boolean", default: true, describe: "wait for another sluice process to release the workspace" }),
  handler: async (argv) => {
    const context = await loadContext(argv);
    if (!context) return;
    const { removeExperiments } = await loadExperiments();
    const removed = await removeExperiments(context.root, argv.names, { wait: argv.wait });
    if (!removed.ok) return void exitWithFailure(removed.error);
    if (argv.json) return void writeOut(JSON.stringify(removed.value, null, 2));
    writeOut(`removed ${removed.value.removed.join(", ")}`);
  },
});

const command = defineCommand({
  command: "exp",
  describe: "Experiments: build variants without touching the committed state, compare them, apply one",
  builder: (yargs) =>
    yargs
      .command(run)
      .command(show)
      .command(diff)
      .command(apply)
      .command(remove)
      .demandCommand(1, "name a subcommand: run, show, diff, apply or remove")
      .example("$0 exp run eta --set eta:train.learningRate=0.2 --name lr-0.2", "build a variant; sluice.lock and the outputs stay as they are")
      .example("$0 exp run eta --set eta:train.learningRate=0.05,0.1 --queue", "queue a grid of two experiments")
      .example("$0 exp run --run-all --jobs 2", "build the queue, two experiments at once")
      .example("$0 exp show", "the workspace and every experiment: params and metrics")
      .example("$0 exp diff workspace lr-0.2", "what the experiment changed, with deltas")
      .example("$0 exp remove lr-0.2", "forget it (gc may then drop its results)"),
  handler: () => undefined,
});

export default command;
