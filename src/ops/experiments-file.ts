/**
 * `cache/experiments.json`: the experiments of a workspace, queued or run,
 * with the params each ran with, the metrics it produced and the stage keys
 * whose run records hold its outputs (what `exp apply` restores and `gc`
 * keeps). Read through a zod schema and bounded in size, because a file on
 * disk is whatever last wrote it; written whole and atomically, by the
 * holder of the workspace lock, so a reader sees the old list or the new.
 */
import { join } from "node:path";
import { z } from "zod";
import type { Json } from "../pipeline/index.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { readBoundedText } from "../util/bounded-read.js";
import { ok } from "../util/result.js";
import { refuse, type OpResult } from "./failure.js";

/** The most experiments the file holds; `exp remove` makes room. */
export const MAX_EXPERIMENTS = 1000;

/** The most bytes the file may have to be read. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** An experiment's name: a folder name under `cache/exp/`, so no separators and nothing hidden. */
export const EXPERIMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const value = z.object({ path: z.string().max(1024), key: z.string().max(1024), value: z.json() }).strict();

const experiment = z
  .object({
    name: z.string().regex(EXPERIMENT_NAME),
    status: z.enum(["queued", "done", "failed"]),
    queuedAt: z.string().max(64),
    finishedAt: z.string().max(64).optional(),
    targets: z.array(z.string().max(1024)).max(256),
    set: z.array(z.string().max(4096)).max(256),
    params: z.array(value).max(10_000),
    metrics: z.array(value).max(10_000),
    stages: z.array(z.object({ id: z.string().max(1024), key: z.string().max(128), status: z.string().max(32) }).strict()).max(100_000),
  })
  .strict();

const experimentsFile = z.object({ version: z.literal(1), experiments: z.array(experiment).max(MAX_EXPERIMENTS) }).strict();

/** One value an experiment ran with or produced: a params-file key (`pipeline.ts` and `<stage id>.<param>` for a param declared there), a metrics leaf. */
export interface ExperimentValue {
  readonly path: string;
  readonly key: string;
  readonly value: Json;
}

/**
 * One experiment.
 *
 *   queued --exp run --run-all--> done | failed
 *   (exp run without --queue records it done or failed at once; an interrupted one is not recorded)
 */
export interface Experiment {
  readonly name: string;
  readonly status: "queued" | "done" | "failed";
  readonly queuedAt: string;
  readonly finishedAt?: string | undefined;
  /** The run's targets (empty: all). */
  readonly targets: readonly string[];
  /** Its `--set` values, one per key, as given (after a grid is expanded). */
  readonly set: readonly string[];
  /** Every params-file key of the workspace with the value it ran with, then the pipeline.ts params it set. Empty while queued. */
  readonly params: readonly ExperimentValue[];
  /** Every leaf of every metrics file it produced. */
  readonly metrics: readonly ExperimentValue[];
  /** Each built stage's key and status: the run records holding its outputs. */
  readonly stages: readonly { readonly id: string; readonly key: string; readonly status: string }[];
}

/** Where the file lives. */
export function experimentsPath(root: string): string {
  return join(root, "cache", "experiments.json");
}

/** The recorded experiments (none when the file does not exist), or a clear refusal when it is unreadable or malformed. */
export function readExperiments(root: string): OpResult<Experiment[]> {
  const path = experimentsPath(root);
  const read = readBoundedText(path, MAX_FILE_BYTES);
  if (read.kind === "absent") return ok([]);
  const broken = (why: string) =>
    refuse("usage", `${path} ${why}; fix it, or move it away to start a new list (until then exp commands and gc refuse, so no experiment's results are dropped)`);
  if (read.kind === "error") return broken(read.problem);
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    return broken(`is not valid JSON (${(error as Error).message})`);
  }
  const parsed = experimentsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return broken(`is not an experiments file: ${issue ? `${issue.path.join(".") || "(top level)"}: ${issue.message}` : "unexpected shape"}`);
  }
  return ok(parsed.data.experiments as Experiment[]);
}

/** Replaces the file with `experiments` (by the workspace lock's holder). */
export function writeExperiments(root: string, experiments: readonly Experiment[]): OpResult<void> {
  if (experiments.length > MAX_EXPERIMENTS) {
    return refuse("usage", `at most ${MAX_EXPERIMENTS} experiments are kept; remove some first (sluice exp remove <name>..)`);
  }
  try {
    writeFileAtomicSync(experimentsPath(root), `${JSON.stringify({ version: 1, experiments }, null, 2)}\n`);
  } catch (error) {
    return refuse("failed", `could not write ${experimentsPath(root)}: ${(error as Error).message}`);
  }
  return ok(undefined);
}
