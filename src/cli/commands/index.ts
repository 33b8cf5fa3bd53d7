/**
 * Every `sluice` subcommand by name, in the order `--help` lists them. Each
 * module default-exports a `defineCommand(...)` whose handler does:
 * options -> load -> call the modules -> report -> `process.exitCode`.
 */
import type { Command, GlobalArgv } from "../command-args.js";

/** Adds a loaded command to the parser (each command's arguments have their own type, so the parser takes it here). */
export type AddCommand = (parser: GlobalArgv) => GlobalArgv;

/** Loads a command module and gives back what adds it to the parser. */
function lazily<U>(load: () => Promise<{ default: Command<U> }>): () => Promise<AddCommand> {
  return async () => {
    const command = (await load()).default;
    return (parser) => parser.command(command);
  };
}

/** Loaded lazily so `sluice run` does not pay for the registry or the report. */
export const commandLoaders: Readonly<Record<string, () => Promise<AddCommand>>> = {
  run: lazily(() => import("./run.js")),
  status: lazily(() => import("./status.js")),
  explain: lazily(() => import("./explain.js")),
  dag: lazily(() => import("./dag.js")),
  runs: lazily(() => import("./runs.js")),
  params: lazily(() => import("./params.js")),
  metrics: lazily(() => import("./metrics.js")),
  exp: lazily(() => import("./exp.js")),
  plots: lazily(() => import("./plots.js")),
  watch: lazily(() => import("./watch.js")),
  server: lazily(() => import("./server.js")),
  gc: lazily(() => import("./gc.js")),
  pin: lazily(() => import("./pin.js")),
  verify: lazily(() => import("./verify.js")),
  registry: lazily(() => import("./registry.js")),
  approve: lazily(() => import("./approve.js")),
  promote: lazily(() => import("./promote.js")),
  rollback: lazily(() => import("./rollback.js")),
  monitor: lazily(() => import("./monitor.js")),
  retrain: lazily(() => import("./retrain.js")),
  lineage: lazily(() => import("./lineage.js")),
  report: lazily(() => import("./report.js")),
  plan: lazily(() => import("./plan.js")),
  job: lazily(() => import("./job.js")),
  graduate: lazily(() => import("./graduate.js")),
  init: lazily(() => import("./init.js")),
};
