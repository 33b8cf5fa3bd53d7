/**
 * Pipeline files are code from the workspace, and code can loop forever.
 * A busy loop holds the main thread, so no timer and no `process.on("SIGINT")`
 * handler of ours could ever run while it spins (a JS SIGINT handler would
 * even turn Ctrl-C into a no-op). What still runs is V8's own watchdog,
 * which `vm` offers: a script run with `timeout` and `breakOnSigint` is
 * terminated from a native thread when time is up or SIGINT arrives.
 *
 * So a mirrored module graph is evaluated synchronously (`require()` of an
 * ES module, which shares Node's module cache with `import()`) inside such
 * a script. Each mirrored module starts by naming itself (see
 * `evaluationBanner`), so a stop names the file whose code was running.
 *
 *     loading ──returns──▶ loaded
 *        │ SIGINT           -> LoadStopped("interrupted")   (exit 130)
 *        │ limit reached    -> LoadStopped("timed-out")     (exit 2)
 *
 * V8 stops the code wherever it is, inside the write of a `console.log` too;
 * a stream stopped between its write and its bookkeeping would hold back
 * every later write, the diagnostic saying why the load stopped among them.
 * So while a guarded evaluation runs, stdout and stderr are written with
 * no bookkeeping at all (util/write-whole.ts).
 *
 * Nothing else installs a SIGINT handler during a load: outside a guarded
 * evaluation (an await, a module graph with top-level await, the loader
 * hooks fallback) Ctrl-C keeps its default effect and ends the process at
 * once. Either way the load has written nothing a run relies on: the
 * workspace lock is taken only after it.
 */
import { createRequire } from "node:module";
import vm from "node:vm";
import { fail, ok, type Result } from "../util/result.js";
import { writeStandardStreamsWhole } from "../util/write-whole.js";

/** Default limit for loading a workspace's pipeline files. */
export const DEFAULT_LOAD_TIMEOUT_MS = 60_000;

/** The environment variable that sets the load limit (the `--load-timeout-ms` flag wins over it). */
export const LOAD_TIMEOUT_ENV = "SLUICE_LOAD_TIMEOUT_MS";

/** Why a load stopped before its pipeline files finished evaluating. */
export type LoadStopReason = "interrupted" | "timed-out";

/** A load stopped by Ctrl-C or by the time limit; `file` is the module whose code was running. */
export class LoadStopped extends Error {
  constructor(
    readonly why: LoadStopReason,
    readonly file: string,
    readonly limitMs: number,
  ) {
    super(why === "interrupted" ? `interrupted while evaluating ${file}` : `still evaluating ${file} after ${limitMs} ms`);
  }
}

/**
 * The load limit in milliseconds from the flag, else the environment, else
 * the default; 0 means no limit. A malformed value is a usage error.
 */
export function loadTimeoutMs(flag: number | undefined, env: NodeJS.ProcessEnv): Result<number, string> {
  const raw = flag !== undefined ? String(flag) : env[LOAD_TIMEOUT_ENV];
  if (raw === undefined || raw === "") return ok(DEFAULT_LOAD_TIMEOUT_MS);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    const source = flag !== undefined ? "--load-timeout-ms" : LOAD_TIMEOUT_ENV;
    return fail(`${source}=${raw}: expected a whole number of milliseconds (0 for no limit), e.g. ${DEFAULT_LOAD_TIMEOUT_MS}`);
  }
  return ok(value);
}

/** Where the file a mirrored module stands for is recorded while its body runs. */
const EVALUATING = Symbol.for("sluice.evaluating");
const slot = globalThis as Record<symbol, unknown>;

/** Every mirrored module whose body has started, by original file: requiring one again runs no code. */
const EVALUATED = Symbol.for("sluice.evaluated");
const evaluated = ((slot[EVALUATED] as Set<string> | undefined) ?? (slot[EVALUATED] = new Set<string>())) as Set<string>;

/** The statement a mirrored module starts with: it names the module as the one being evaluated. */
export function evaluationBanner(originalFile: string): string {
  const file = JSON.stringify(originalFile);
  return `globalThis[Symbol.for("sluice.evaluating")] = ${file}; (globalThis[Symbol.for("sluice.evaluated")] ??= new Set()).add(${file});`;
}

const requireModule = createRequire(import.meta.url);
/** Where the script below finds the module to evaluate (a script sees only globals). */
const ENTRY = Symbol.for("sluice.load-watchdog.entry");
let script: vm.Script | undefined;

/**
 * Guards the evaluation of one workspace load: one deadline for all of it,
 * Ctrl-C honoured whenever workspace code runs.
 */
export class LoadWatchdog {
  readonly #limitMs: number;
  readonly #deadline: number;
  /** The module last handed to the loader, named when no banner says better. */
  #entry: string | undefined;

  constructor(limitMs: number) {
    this.#limitMs = limitMs;
    this.#deadline = limitMs > 0 ? Date.now() + limitMs : Number.POSITIVE_INFINITY;
    slot[EVALUATING] = undefined;
  }

  /**
   * Evaluates the ES module `file` (and every module it imports) now, under
   * the native watchdog, and returns its namespace. A graph that uses
   * top-level await cannot be evaluated synchronously: Node refuses it
   * before running any of it (`ERR_REQUIRE_ASYNC_MODULE`), and the caller
   * imports it instead.
   */
  evaluate(file: string, original: string): Record<string, unknown> {
    // Already evaluated (most helpers, reached through the pipeline file first): no code of the
    // workspace runs, so no native watchdog threads (~0.3 ms each) are started for it.
    if (evaluated.has(original)) return requireModule(file) as Record<string, unknown>;
    this.#entry = original;
    const remaining = this.#remaining(original);
    script ??= new vm.Script(`globalThis[Symbol.for("sluice.load-watchdog.entry")]()`, { filename: "sluice-load-watchdog" });
    slot[ENTRY] = () => requireModule(file) as Record<string, unknown>;
    const putStreamsBack = writeStandardStreamsWhole();
    try {
      return script.runInThisContext({ breakOnSigint: true, ...(Number.isFinite(remaining) ? { timeout: remaining } : {}) }) as Record<
        string,
        unknown
      >;
    } catch (error) {
      throw this.#stopped(error);
    } finally {
      putStreamsBack();
      slot[ENTRY] = undefined;
      slot[EVALUATING] = undefined;
    }
  }

  /** Evaluates a graph of `vm` modules (fresh-modules.ts) under the same native watchdog. */
  async evaluateModule(module: vm.Module, original: string): Promise<void> {
    this.#entry = original;
    const remaining = this.#remaining(original);
    const putStreamsBack = writeStandardStreamsWhole();
    try {
      await module.evaluate({ breakOnSigint: true, ...(Number.isFinite(remaining) ? { timeout: remaining } : {}) });
    } catch (error) {
      throw this.#stopped(error);
    } finally {
      putStreamsBack();
      slot[EVALUATING] = undefined;
    }
  }

  /** A stop by the native watchdog as a LoadStopped; any other error as it is. */
  #stopped(error: unknown): unknown {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") return new LoadStopped("interrupted", this.#running(), this.#limitMs);
    if (code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return new LoadStopped("timed-out", this.#running(), this.#limitMs);
    return error;
  }

  /**
   * Awaits `loading` (modules imported asynchronously, validation), giving
   * up at the deadline: a pipeline awaiting something that never settles
   * stops like one that spins.
   */
  async within<T>(loading: () => Promise<T>, file: string): Promise<T> {
    this.#entry ??= file;
    const remaining = this.#remaining(file);
    if (!Number.isFinite(remaining)) return loading();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LoadStopped("timed-out", this.#running(), this.#limitMs)), remaining);
    });
    try {
      return await Promise.race([loading(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Notes the module an asynchronous import is about to evaluate. */
  entering(original: string): void {
    this.#entry = original;
  }

  #remaining(file: string): number {
    const remaining = this.#deadline - Date.now();
    if (remaining <= 0) throw new LoadStopped("timed-out", file, this.#limitMs);
    return remaining;
  }

  /** The module whose body was running: the last banner seen, else the entry being loaded. */
  #running(): string {
    return (slot[EVALUATING] as string | undefined) ?? this.#entry ?? "the pipeline";
  }
}
