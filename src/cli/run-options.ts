/**
 * The options of a run, which `sluice run` and `sluice watch` declare and
 * `runLoaded` (execute-run.ts) takes, and the parsing of those that carry
 * values: `--resources gpu=1,memGiB=16` here, `--set stage.param=value` in
 * src/ops/param-overrides.ts (queued experiments are parsed there too).
 */
import { availableParallelism } from "node:os";
import { parseParamOverrides, type ParamOverrides } from "../ops/index.js";
import type { Diagnostic } from "../pipeline/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { ArgsOf, GlobalArgv } from "./command-args.js";

export { parseParamOverrides, type ParamOverrides };

/** The targets and options of a run; their types are what `RunArgs` holds. */
export function runOptions(yargs: GlobalArgv) {
  return yargs
    .positional("targets", {
      describe: "all (default), a project, a stage id (eta:train) or a glob (*:evaluate)",
      type: "string",
      array: true,
      default: [] as string[],
    })
    .options({
      jobs: { alias: "j", type: "number", default: availableParallelism(), describe: "stages run at once" },
      "keep-going": { alias: "k", type: "boolean", default: false, describe: "run every stage not downstream of a failure" },
      force: {
        type: "string",
        array: true,
        describe: "rerun even when cached: all planned stages (--force) or the given ones (--force eta:train)",
      },
      "dry-run": { alias: "n", type: "boolean", default: false, describe: "show what would run and why; execute nothing" },
      set: {
        type: "string",
        array: true,
        requiresArg: true,
        default: [] as string[],
        describe: "override a param for this run: a stage param, --set eta:train.learningRate=0.2 (checked against its declared type), or a paramsFrom key, --set train.lr=0.2 (params.yaml:train.lr when two files hold it)",
      },
      resources: { type: "string", describe: "resource limits for the scheduler: gpu=1,memGiB=16" },
      "fail-on-hold": { type: "boolean", default: false, describe: "exit 3 when a promotion was held" },
      strict: { type: "boolean", default: false, describe: "fail a cmd stage that writes files it does not declare as outs" },
      wait: { type: "boolean", default: true, describe: "wait for another sluice process to release the workspace (--no-wait fails at once)" },
      watch: { alias: "w", type: "boolean", default: false, describe: "rerun the affected stages whenever an input changes" },
      "remote-cache": {
        type: "string",
        describe: "shared cache URL (Bazel HTTP cache layout: <url>/ac/, <url>/cas/); default SLUICE_REMOTE_CACHE, then remoteCache in pipeline.ts; 'off' disables",
      },
      "remote-cache-read-only": { type: "boolean", default: false, describe: "fetch from the remote cache but never upload (untrusted runners)" },
      shard: { type: "string", describe: "run only shard i of N (with its upstream), e.g. --shard 2/4; see `sluice plan --shards N`" },
      executor: {
        type: "string",
        array: true,
        describe: "where stages execute, overriding their declared executor: slurm, local, or <stage glob>=<executor> (--executor '*:train=slurm')",
      },
      "shard-plan": { type: "string", describe: "take the shard from this `sluice plan --json` file, so every CI job agrees on the split" },
    });
}

/** A run's targets and options, with the global ones: what `runLoaded` takes. */
export type RunArgs = ArgsOf<typeof runOptions>;

export function parseResources(spec: string | undefined): Result<Record<string, number>, Diagnostic[]> {
  const capacity: Record<string, number> = {};
  if (!spec) return ok(capacity);
  for (const part of spec.split(",")) {
    const match = /^\s*([A-Za-z][\w-]*)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match) {
      return fail([{ reason: "bad-resources", message: `--resources ${spec}: expected name=number[,name=number], e.g. gpu=1,memGiB=16` }]);
    }
    capacity[match[1] as string] = Number(match[2]);
  }
  return ok(capacity);
}
