/**
 * What yargs calls "Unknown argument: x", said the way a user needs it: an
 * unknown command or option by name, with the nearest real one.
 */
import { statSync } from "node:fs";
import { didYouMean } from "../util/did-you-mean.js";

/** What the parser knows when it refuses an argument. */
export interface ParserVocabulary {
  /** Every command name. */
  readonly commands: readonly string[];
  /** Every option key the command being parsed accepts (aliases included). */
  readonly options: readonly string[];
  /** The command being parsed, with its parents (`["exp", "run"]`); empty when unknown. */
  readonly path?: readonly string[];
  /** Its subcommands (`run`, `show`, ... of `exp`); empty when it has none. */
  readonly subcommands?: readonly string[];
}

/**
 * One line per unknown argument of a yargs strict-mode failure (or for an
 * option given without its value, `--set` at the end of the line), or
 * undefined when `message` is another kind of failure (a missing argument, a
 * bad choice), which yargs' own text explains well enough.
 */
export function describeRefusedArguments(message: string, args: readonly string[], vocabulary: ParserVocabulary): string[] | undefined {
  const valueless = /^Not enough arguments following: (.+)$/.exec(message)?.[1];
  if (valueless !== undefined) {
    const command = args.find((arg) => vocabulary.commands.includes(arg));
    return [`--${valueless} needs a value; \`sluice ${command ? `${command} ` : ""}--help\` shows its form`];
  }
  const invalid = [...message.matchAll(/Argument: (\S+), Given: (.+?), Choices: (.+)$/gm)];
  if (invalid.length > 0) {
    return invalid.map(([, name, given, listedChoices]) => {
      const choices = (listedChoices ?? "").split(", ").map((choice) => choice.replace(/^"(.*)"$/, "$1"));
      const positional = !args.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
      const what = positional ? (name as string) : `--${name}`;
      return `${what} cannot be ${given}: it is one of ${choices.join(", ")}${didYouMean(String(given).replace(/^"(.*)"$/, "$1"), choices)}`;
    });
  }
  const listed = /^Unknown arguments?: (.+)$/.exec(message)?.[1];
  if (listed === undefined) return undefined;
  const path = vocabulary.path ?? [];
  const command = path.length > 0 ? path.join(" ") : args.find((arg) => vocabulary.commands.includes(arg));
  const subcommands = vocabulary.subcommands ?? [];
  const words = listed.split(", ");
  // yargs lists an unknown `--dry-run` twice, the second time as `dryRun`.
  const typedOnce = words.filter((word) => !words.some((other) => other !== word && camelCase(other) === word));
  return typedOnce.map((word) => {
    const typed = optionAsTyped(word, args);
    if (typed !== undefined) {
      const flags = vocabulary.options.filter((key) => key.length > 1 && !/[A-Z]/.test(key));
      const where = command ? ` for "sluice ${command}"` : "";
      const help = command ? `sluice ${command} --help` : "sluice --help";
      const dashes = typed.startsWith("--no-") ? "--no-" : "--";
      return `unknown option ${typed}${where}${didYouMean(word, flags, (name) => `${dashes}${name}`)}; \`${help}\` lists the options`;
    }
    if (command === undefined) {
      return `unknown command "${word}"${didYouMean(word, vocabulary.commands)}; \`sluice --help\` lists the commands`;
    }
    if (subcommands.length > 0) {
      return `unknown subcommand "${word}" for "sluice ${command}"${didYouMean(word, subcommands)}; \`sluice ${command} --help\` lists them`;
    }
    return `unexpected argument "${word}" for "sluice ${command}"; \`sluice ${command} --help\` shows its usage`;
  });
}

/** `dry-run` -> `dryRun`, as yargs names an option's camel-case copy. */
function camelCase(word: string): string {
  return word.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** How `word` was typed as an option (`--word`, `--word=…`, `-w`, `--no-word`: the first three as `--word`), if it was. */
function optionAsTyped(word: string, args: readonly string[]): string | undefined {
  for (const arg of args) {
    const name = arg.replace(/^--?/, "").replace(/=.*$/, "");
    if (!arg.startsWith("-")) continue;
    if (name === word) return `--${word}`;
    if (name === `no-${word}`) return `--no-${word}`;
  }
  return undefined;
}

/** Numeric options as yargs parsed them, with their names as typed. */
export interface NumericOptions {
  /** Keys declared `type: "number"`. */
  readonly keys: readonly string[];
  /** Each key's aliases (`jobs` -> `j`). */
  readonly aliases: Readonly<Record<string, readonly string[]>>;
}

/**
 * yargs turns `--jobs abc` into NaN and lets the command report "got NaN".
 * Say which option, and what was typed, before any command runs.
 */
export function describeNonNumbers(argv: Readonly<Record<string, unknown>>, args: readonly string[], numeric: NumericOptions): string | undefined {
  for (const key of numeric.keys) {
    const values = ([] as unknown[]).concat(argv[key]);
    if (!values.some((value) => typeof value === "number" && Number.isNaN(value))) continue;
    const names = [key, ...(numeric.aliases[key] ?? [])];
    const typed = typedValue(args, names);
    return `--${key} expects a number${typed === undefined ? "" : ` (got "${typed}")`}`;
  }
  return undefined;
}

/** The text after `--name`, `--name=` or `-n` on the command line. */
function typedValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    for (const name of names) {
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      if (arg === flag) return args[i + 1] ?? "";
      if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    }
  }
  return undefined;
}

/** `-C <dir>` naming something that is not a folder (rather than "no workspace at or above" it). */
export function describeMissingFolder(cwd: string | undefined): string | undefined {
  if (cwd === undefined) return undefined;
  const info = statSync(cwd, { throwIfNoEntry: false });
  if (!info) return `-C ${cwd}: no such directory`;
  return info.isDirectory() ? undefined : `-C ${cwd}: not a directory`;
}
