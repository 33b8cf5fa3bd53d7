/**
 * Every `sluice` subcommand by name, in the order `--help` lists them. Each
 * module default-exports a yargs CommandModule whose handler does:
 * options -> load -> call the modules -> report -> `process.exitCode`.
 */
import type { CommandModule } from "yargs";

type Loader = () => Promise<{ default: CommandModule<any, any> }>;

/** Loaded lazily so `sluice run` does not pay for the registry or the report. */
export const commandLoaders: Readonly<Record<string, Loader>> = {
  run: () => import("./run.js"),
  status: () => import("./status.js"),
  explain: () => import("./explain.js"),
  dag: () => import("./dag.js"),
  runs: () => import("./runs.js"),
  params: () => import("./params.js"),
  metrics: () => import("./metrics.js"),
  exp: () => import("./exp.js"),
  plots: () => import("./plots.js"),
  watch: () => import("./watch.js"),
  gc: () => import("./gc.js"),
  pin: () => import("./pin.js"),
  verify: () => import("./verify.js"),
  registry: () => import("./registry.js"),
  approve: () => import("./approve.js"),
  promote: () => import("./promote.js"),
  rollback: () => import("./rollback.js"),
  monitor: () => import("./monitor.js"),
  retrain: () => import("./retrain.js"),
  lineage: () => import("./lineage.js"),
  report: () => import("./report.js"),
  plan: () => import("./plan.js"),
  job: () => import("./job.js"),
  graduate: () => import("./graduate.js"),
  init: () => import("./init.js"),
};
