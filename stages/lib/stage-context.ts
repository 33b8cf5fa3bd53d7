/**
 * The part of the engine's run context a stage function uses, declared here
 * so stage functions can be called from unit tests with a plain object. The
 * engine's `RunContext` is structurally assignable to it.
 */

/** What a stage function receives: dep values, params, output paths, a log. */
export interface StageContext<Deps, Params, Outs extends string = never> {
  /** Paths of file deps; parsed values of json deps. */
  readonly deps: Deps;
  readonly params: Params;
  /** Absolute paths to write file outputs to. */
  readonly outs: { readonly [K in Outs]: string };
  /** Appends a line to the stage log. */
  log(...parts: unknown[]): void;
}
