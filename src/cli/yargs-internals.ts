/**
 * What yargs 18 does at run time but its type declarations (@types/yargs 17)
 * leave out or get wrong, declared once here instead of cast at each use.
 * cli.ts uses them; each matches yargs' build/lib sources.
 */

/** What yargs knows of the options of the command being parsed (aliases included): `Argv.getOptions()`. */
export interface ParserOptions {
  readonly key: Readonly<Record<string, unknown>>;
  readonly number: readonly string[];
  readonly alias: Readonly<Record<string, readonly string[]>>;
}

/** The help text renderer yargs passes to a `.fail()` callback as its third argument (typed there as the parser). */
export interface UsageOnFail {
  /** The help of the command being parsed. */
  help(): string;
}

declare module "yargs" {
  interface Argv<T> {
    getOptions(): ParserOptions;
    /** yargs' internals; optional, so a yargs without them is only slower (or its messages plainer), not broken. */
    getInternalMethods?(): {
      getUsageInstance(): { cacheHelpMessage(): void };
      /** The command path being parsed: `["exp", "run"]`. */
      getContext(): { readonly commands: readonly string[] };
      /** The subcommands of the command being parsed. */
      getCommandInstance(): { getCommands(): readonly string[] };
    };
    fail(func: (message: string, error: Error | string | undefined, usage: UsageOnFail) => void): this;
  }
}
