/**
 * How a command's arguments are declared and typed: the options a builder
 * adds are the one place an argument's type is written. yargs infers the
 * type from each `.option(...)` and `.positional(...)`; `defineCommand`
 * hands that type to the handler, so a handler cannot read an option its
 * builder does not declare, nor read it as another type.
 *
 *   defineCommand({ command, describe, builder: (yargs) => yargs.option(...), handler: (argv) => ... })
 *
 * A set of options several commands share is a function that adds them to
 * a yargs (`globalOptions` here, `runOptions` in run-options.ts); `ArgsOf`
 * names the arguments it declares, for the code that takes them.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";

/** `load-timeout-ms` -> `loadTimeoutMs`, as yargs names the camel-case copy of an option. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type CamelKeys<K> = K extends string ? CamelCase<K> : never;

/**
 * The arguments a handler receives from a builder typed `Argv<U>`: each
 * declared option by its camel-case name, with the type yargs inferred.
 * yargs' own `ArgumentsCamelCase` adds an index signature that lets any
 * undeclared name through as `unknown`; picking the declared names drops it.
 * (A `Pick` of yargs' type, not a type of our own, so yargs' argv is
 * assignable to it without a cast.)
 */
export type CommandArgs<U> = Pick<ArgumentsCamelCase<U>, CamelKeys<keyof U>>;

/**
 * The arguments an option set declares: `ArgsOf<typeof runOptions>`. Write
 * a shared set with `.options({ ... })`: unlike `.option(key, { alias })`
 * it leaves alias letters (`j` for `jobs`) out of the type, so code that
 * builds the arguments itself names only the real options.
 */
export type ArgsOf<Builder> = Builder extends (yargs: never) => Argv<infer U> ? CommandArgs<U> : never;

/** The options every command accepts, before its own (`sluice --help` lists them). */
export function globalOptions(yargs: Argv) {
  return yargs.options({
    json: { type: "boolean", describe: "print one JSON document on stdout (progress goes to stderr)" },
    verbose: { alias: "v", type: "boolean", describe: "more output, and stack traces for internal errors" },
    cwd: { alias: "C", type: "string", describe: "run as if started in this folder" },
    // Read by listr2's colour library from the command line itself, as it is imported; declared so the parser takes it.
    color: { type: "boolean", describe: "colours on a terminal (--no-color: none, as NO_COLOR=1; --color: always, as FORCE_COLOR=1)" },
    "load-timeout-ms": {
      type: "number",
      describe: "stop loading pipeline files after this long (default 60000, or SLUICE_LOAD_TIMEOUT_MS; 0: no limit)",
    },
  });
}

/** The parser every command is added to: the global options declared. */
export type GlobalArgv = ReturnType<typeof globalOptions>;
type Globals = GlobalArgv extends Argv<infer G> ? G : never;

/** `--json`, `--verbose`, `--cwd` and `--load-timeout-ms`, as every handler reads them. */
export type GlobalOptions = ArgsOf<typeof globalOptions>;

/** A command as yargs takes it, added to the parser of the global options. */
export type Command<U> = CommandModule<Globals, U>;

/** A command as its module declares it; `U` is what its builder's options make of the global ones. */
export interface CommandDefinition<U> {
  /** The name and positionals, as yargs reads them: `"run [targets..]"`. */
  readonly command: string;
  /** One line for `sluice --help`. */
  readonly describe: string;
  /** Adds the command's options (and subcommands); omitted, the command takes only the global options. */
  readonly builder?: (yargs: GlobalArgv) => Argv<U>;
  /** Parses nothing itself: the builder's options arrive typed. */
  readonly handler: (argv: CommandArgs<U>) => void | Promise<void>;
}

/**
 * A yargs command whose handler's arguments are inferred from its builder.
 * `U` defaults to the global options for a command without a builder.
 */
export function defineCommand<U = Globals>(definition: CommandDefinition<U>): Command<U> {
  return definition;
}
