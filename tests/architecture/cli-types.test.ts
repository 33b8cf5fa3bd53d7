/**
 * The CLI's arguments stay typed by their builders (src/cli/command-args.ts):
 * a cast to a yargs type would let an option and the code reading it drift
 * apart again, and a hand-written Args interface is a second place an
 * argument's type is written. Neither may come back into src/cli.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "src", "cli");
const files = readdirSync(cli, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => ({ path: `src/cli/${file.split("\\").join("/")}`, lines: readFileSync(join(cli, file), "utf8").split("\n") }));

/** `file:line: text` of every line matching `pattern`, for a message that points at the offender. */
function linesMatching(pattern: RegExp, only: (path: string) => boolean = () => true): string[] {
  return files
    .filter((file) => only(file.path))
    .flatMap((file) => file.lines.flatMap((text, i) => (pattern.test(text) ? [`${file.path}:${i + 1}: ${text.trim()}`] : [])));
}

/** A cast whose target names a yargs type: `as unknown as Argv<...>`, `as (y: Argv<...>) => ...`, `as CommandModule<...>`. */
const castToYargsType = /\bas\s+[^;,=]*\b(Argv|CommandModule|CommandBuilder|ArgumentsCamelCase|Arguments)\b/;

describe("the CLI's argument types", () => {
  it("finds the command modules it checks", () => {
    expect(files.filter((file) => file.path.startsWith("src/cli/commands/")).length).toBeGreaterThan(20);
  });

  it("casts no value to a yargs type", () => {
    expect(linesMatching(castToYargsType)).toEqual([]);
  });

  it("forces no type through unknown, any or never", () => {
    expect(linesMatching(/\bas unknown as\b|\bas any\b|\bas never\b/)).toEqual([]);
  });

  it("lets each command's builder type its handler: no hand-written Args interface or CommandModule annotation", () => {
    const inCommands = (path: string) => path.startsWith("src/cli/commands/");
    expect(linesMatching(/\binterface \w*Args\b|:\s*CommandModule</, inCommands)).toEqual([]);
  });
});
