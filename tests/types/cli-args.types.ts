/**
 * Type tests: a command's arguments are typed by its builder alone. A
 * handler cannot read an option the builder does not declare, and reads
 * each declared one as the type yargs infers from it; the run options reach
 * `runLoaded` the same way. Checked by `tsc` (type-tests.test.ts); nothing
 * here runs.
 */
import { expectTypeOf } from "vitest";
import { defineCommand, type ArgsOf, type GlobalArgv, type GlobalOptions } from "../../src/cli/command-args.js";
import type { RunArgs } from "../../src/cli/run-options.js";

function demoOptions(yargs: GlobalArgv) {
  return yargs
    .positional("name", { type: "string", demandOption: true })
    .option("limit", { type: "number", default: 50 })
    .option("dry-run", { alias: "n", type: "boolean", default: false })
    .option("tag", { type: "string", array: true })
    .option("format", { choices: ["dot", "json"] as const, default: "dot" as const });
}

defineCommand({
  command: "demo <name>",
  describe: "a command for the type tests",
  builder: demoOptions,
  handler: (argv) => {
    // Each option arrives as its declaration says: a number stays a number, a default removes undefined.
    expectTypeOf(argv.limit).toEqualTypeOf<number>();
    expectTypeOf(argv.name).toEqualTypeOf<string>();
    expectTypeOf(argv.dryRun).toEqualTypeOf<boolean>();
    expectTypeOf(argv.tag).toEqualTypeOf<string[] | undefined>();
    expectTypeOf(argv.format).toEqualTypeOf<"dot" | "json">();
    // The global options come with every command.
    expectTypeOf(argv.json).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(argv.loadTimeoutMs).toEqualTypeOf<number | undefined>();
    // @ts-expect-error an option the builder does not declare (yargs' own type would let it through as unknown)
    void argv.limt;
    // @ts-expect-error nor by its kebab-case name: the handler reads camelCase
    void argv["dry-run"];
    // @ts-expect-error a number option does not reach the handler as a string
    const asText: string = argv.limit;
    void asText;
  },
});

// Written inline, the builder types the handler the same way.
defineCommand({
  command: "inline",
  describe: "a command for the type tests",
  builder: (yargs) => yargs.option("keep", { type: "number", default: 5 }),
  handler: (argv) => {
    expectTypeOf(argv.keep).toEqualTypeOf<number>();
    // @ts-expect-error declared by another command
    void argv.limit;
  },
});

// Without a builder, a command takes the global options only.
defineCommand({
  command: "bare",
  describe: "a command for the type tests",
  handler: (argv) => {
    expectTypeOf(argv).toEqualTypeOf<GlobalOptions>();
  },
});

// A named option set gives its arguments to code outside the handler.
expectTypeOf<ArgsOf<typeof demoOptions>["limit"]>().toEqualTypeOf<number>();

// The run options, as runLoaded takes them: typed by runOptions, by camelCase name, without alias letters.
expectTypeOf<RunArgs["jobs"]>().toEqualTypeOf<number>();
expectTypeOf<RunArgs["keepGoing"]>().toEqualTypeOf<boolean>();
expectTypeOf<RunArgs["targets"]>().toEqualTypeOf<string[]>();
expectTypeOf<RunArgs["remoteCache"]>().toEqualTypeOf<string | undefined>();
// @ts-expect-error `j` is an alias of --jobs, not an argument of its own
expectTypeOf<RunArgs["j"]>();
// @ts-expect-error code that builds a run's arguments (sluice job) must decide every run option
const partial: RunArgs = { targets: [], jobs: 1, json: undefined, verbose: undefined, cwd: undefined, loadTimeoutMs: undefined };
void partial;
