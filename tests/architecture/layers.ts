/**
 * The layers of sluice's source and the directions imports may flow between
 * them: the one place they are written down. `layers.test.ts` holds every
 * import under `src/` and `contracts/` to this table, and README.md
 * ("Architecture") explains it.
 *
 * ```
 * cli, package entry   parse arguments, call one operation, render / what `import "sluice"` sees
 * ops                  operations: run once, watch, monitor pass, retrain, shard plan
 * dashboard            the HTML report; registry and monitor texts
 * report | registry    engine renderers | the ML release discipline (registry over monitor);
 *          monitor       siblings: neither side imports the other
 * graduate             notebook recipes into stage declarations
 * exec                 scheduler, runners, hit serving, rerun verification
 * cache                digests, object store, stat cache, run records, lock file, remote
 * graph                DAG, targets, plan
 * pipeline             define, load, validate pipeline files
 * contracts            zod schemas of the release world; imports nothing from src/
 * util                 imports nothing of ours
 * ```
 *
 * Each layer names the layers directly beneath it (`uses`); it may import
 * those and, transitively, everything they may import, and nothing else.
 * An import the other way is upward; one between layers that do not reach
 * each other (report and registry) is sideways: both are refused.
 */

/** One layer: the folders (or single files) it owns and the layers right beneath it. */
export interface Layer {
  /** Folders or `.ts` files, relative to the repository root. */
  readonly paths: readonly string[];
  /** The layers this one builds on directly; what they may import is allowed too. */
  readonly uses: readonly LayerName[];
  /** What lives here, for the message of a broken rule. */
  readonly holds: string;
}

/** The layer names, top to bottom. */
export type LayerName =
  | "cli"
  | "package"
  | "ops"
  | "dashboard"
  | "report"
  | "registry"
  | "monitor"
  | "graduate"
  | "exec"
  | "cache"
  | "graph"
  | "pipeline"
  | "contracts"
  | "util";

/** The allowed directions of imports. */
export const LAYERS: Readonly<Record<LayerName, Layer>> = {
  cli: { paths: ["src/cli"], uses: ["ops"], holds: "argument parsing and the exit code" },
  package: { paths: ["src/index.ts"], uses: ["ops"], holds: "the API a pipeline file imports" },
  ops: { paths: ["src/ops"], uses: ["dashboard", "graduate"], holds: "the operations the CLI calls" },
  dashboard: { paths: ["src/dashboard"], uses: ["report", "registry"], holds: "the HTML report and the registry and monitor texts" },
  report: { paths: ["src/report"], uses: ["exec"], holds: "the engine's renderers" },
  registry: { paths: ["src/registry"], uses: ["monitor"], holds: "releases, aliases and promotion" },
  monitor: { paths: ["src/monitor"], uses: ["exec"], holds: "live windows and the canary controller" },
  graduate: { paths: ["src/graduate"], uses: ["pipeline"], holds: "notebook recipes into stages" },
  exec: { paths: ["src/exec"], uses: ["cache"], holds: "the scheduler and the runners" },
  cache: { paths: ["src/cache"], uses: ["graph"], holds: "digests, the object store and run records" },
  graph: { paths: ["src/graph"], uses: ["pipeline"], holds: "the DAG, targets and plans" },
  pipeline: { paths: ["src/pipeline"], uses: ["contracts", "util"], holds: "pipeline files: define, load, validate" },
  contracts: { paths: ["contracts"], uses: [], holds: "the zod schemas of the release world" },
  util: { paths: ["src/util"], uses: [], holds: "helpers that import nothing of ours" },
};

/**
 * Folders without an `index.ts`, whose files are imported one by one: small
 * helpers that share nothing, and the CLI, which nothing imports.
 */
export const OPEN_FOLDERS: readonly string[] = ["src/util", "src/cli", "contracts/allowed_signers"];
