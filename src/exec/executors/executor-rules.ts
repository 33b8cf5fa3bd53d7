/**
 * `--executor`: which stages of this run execute where, overriding each
 * stage's declared `executor`. A comma-separated list whose entries are an
 * executor name (every stage) or `<glob>=<name>` (the stages the glob
 * matches, as targets are matched: `*:train`, `eta:*`, `eta:train`); the
 * last entry that matches a stage decides.
 */
import { globToRegExp } from "../../graph/index.js";
import { EXECUTOR_NAMES, type ExecutorName, type Stage } from "../../pipeline/index.js";

/** One `--executor` entry. */
export interface ExecutorRule {
  /** The stages it applies to; undefined for every stage. */
  readonly pattern: RegExp | undefined;
  readonly executor: ExecutorName;
}

/** The rules of `--executor` values, or a usage message naming the bad entry. */
export function parseExecutorRules(specs: readonly string[]): { ok: true; rules: ExecutorRule[] } | { ok: false; error: string } {
  const rules: ExecutorRule[] = [];
  for (const entry of specs.flatMap((spec) => spec.split(",")).map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.lastIndexOf("=");
    const name = entry.slice(eq + 1).trim();
    const glob = eq < 0 ? undefined : entry.slice(0, eq).trim();
    if (!EXECUTOR_NAMES.includes(name as ExecutorName) || glob === "") {
      return {
        ok: false,
        error: `--executor ${entry}: expected an executor (${EXECUTOR_NAMES.join(", ")}) or <stage glob>=<executor>, e.g. --executor '*:train=slurm'`,
      };
    }
    // A bare project name matches its stages, as a target does.
    const pattern = glob === undefined ? undefined : globToRegExp(glob.includes(":") ? glob : `${glob}:*`);
    rules.push({ pattern, executor: name as ExecutorName });
  }
  return { ok: true, rules };
}

/** Where `stage` executes: the last matching rule, else its declaration. */
export function executorOf(stage: Stage, rules: readonly ExecutorRule[]): ExecutorName {
  let chosen = stage.executor;
  for (const rule of rules) if (!rule.pattern || rule.pattern.test(stage.id)) chosen = rule.executor;
  return chosen;
}
