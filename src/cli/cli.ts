/**
 * One sluice command line: parse with yargs, hand off to the command
 * module. Only the module of the command being run is loaded, so `sluice
 * run` starts fast.
 */
import yargs, { type Argv } from "yargs";
import { stdoutWritten, writeErr, writeOut } from "../report/index.js";
import { globalOptions } from "./command-args.js";
import { commandLoaders } from "./commands/index.js";
import { EXIT, exitWith, noteUsageProblems, usageErrorDocument } from "./exit-code.js";
import { startCommand } from "../util/command-scope.js";
import { ownVersion } from "./own-version.js";
import { describeMissingFolder, describeNonNumbers, describeRefusedArguments } from "./usage-mistakes.js";
import type { ParserOptions } from "./yargs-internals.js";

/** Thrown from yargs' failure handler: the arguments were refused, and that was said. */
class ArgumentsRefused extends Error {}

/**
 * Runs one command line (`args` without node and the script) to its end
 * and returns its exit code. It never exits the process: `main.ts` does,
 * and the sluice server runs many command lines in one process.
 */
export async function runCli(args: readonly string[]): Promise<number> {
  startCommand();
  try {
    await parseAndRun([...args]);
  } catch (error) {
    if (!(error instanceof ArgumentsRefused)) throw error;
  }
  printUsageErrorDocument(args);
  return Number(process.exitCode ?? 0);
}

async function parseAndRun(typed: readonly string[]): Promise<void> {
  const args = withFolderApart(typed);
  const name = args.find((a) => !a.startsWith("-"));
  const known = name !== undefined && name in commandLoaders;
  const names = known ? [name] : Object.keys(commandLoaders);
  const commands = await Promise.all(names.flatMap((n) => commandLoaders[n]?.() ?? []));
  let parser = globalOptions(
    yargs(args)
      .scriptName("sluice")
      .usage("$0 <command> [options]\n\nA declarative DAG build tool for ML pipelines: typed stages, content-addressed caching, gated promotion."),
  )
    .strict()
    // Mistakes every command shares, said before any command runs: a misspelt
    // number is named with what was typed (not NaN), a -C folder that is not one.
    .check((argv) => {
      const options = parserOptions(parser);
      return describeNonNumbers(argv, args, { keys: options.number, aliases: options.alias }) ?? describeMissingFolder(argv.cwd) ?? true;
    }, true)
    .demandCommand(1, "name a command (sluice --help lists them)")
    .help()
    .alias("help", "h")
    .version(ownVersion())
    // Wrapping the help text costs tens of milliseconds, and yargs renders it on every run: only when asked.
    .wrap(args.includes("--help") || args.includes("-h") ? Math.min(110, process.stdout.columns ?? 100) : null)
    .fail((message, error, usage) => {
      // A string is a `check` above refusing the arguments; a YError, yargs refusing them
      // (an option without its value); any other Error, a command that crashed.
      if (error instanceof Error && error.name !== "YError") throw error;
      // An unknown word is named, with the nearest real one; the whole help would bury it.
      const options = Object.keys(parserOptions(parser).key);
      const internals = parser.getInternalMethods?.();
      const vocabulary = {
        commands: Object.keys(commandLoaders),
        options,
        path: internals?.getContext().commands ?? [],
        subcommands: internals?.getCommandInstance().getCommands() ?? [],
      };
      const explained = typeof error === "string" ? [message] : describeRefusedArguments(message, args, vocabulary);
      if (explained) {
        for (const line of explained) writeErr(`error: ${line}\n`);
      } else {
        writeErr(`error: ${message}\n`);
        writeErr(usage.help());
      }
      noteUsageProblems((explained ?? [message]).map((line) => ({ message: line })));
      exitWith("usage");
      throw new ArgumentsRefused(message);
    });
  for (const addCommand of commands) parser = addCommand(parser);
  skipHelpCache(parser);
  await parser.parseAsync();
}

/**
 * `-C<folder>` as `-C <folder>`. yargs splits an attached value only after a letter: it reads `-C.` as an
 * option named "." and `-C..` as the folder ".", where `-Cdata` is the folder "data" as expected.
 */
function withFolderApart(args: readonly string[]): string[] {
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  return args.flatMap((arg, at) => (at < end && /^-C[^=]/.test(arg) ? ["-C", arg.slice(2)] : [arg]));
}

/** Under `--json`, a command that exited 2 without printing its document prints the error document instead. */
function printUsageErrorDocument(args: readonly string[]): void {
  const json = args.some((arg) => arg === "--json" || arg === "--json=true");
  if (json && process.exitCode === EXIT.usage && !stdoutWritten()) writeOut(usageErrorDocument());
}

/**
 * yargs lays out the whole help text of a command as soon as its handler has
 * started, in case the command fails later and the text is wanted then. Every
 * sluice command reports its own failures, so that is ~20 ms of a no-op run
 * spent for nothing, and it would load the text-measuring code the bundle
 * defers (scripts/bundle.mjs). `--help` and usage errors still render it.
 */
function skipHelpCache(parser: Argv): void {
  const internals = parser.getInternalMethods?.();
  if (internals) internals.getUsageInstance().cacheHelpMessage = () => {};
}

/** What yargs knows of the options of the command being parsed, aliases included (declared in yargs-internals.ts). */
function parserOptions(parser: Argv): ParserOptions {
  return parser.getOptions();
}
