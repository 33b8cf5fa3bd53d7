/**
 * SLOW (2-3 min on a busy machine: a full build of the clone, a retrain, a
 * shard plan).
 * Every example that a `--help` shows is run, as printed, against the
 * shipped workspace (a clone of this repository): an example that names a
 * param, a file or a target the workspace does not have fails here, not in
 * front of a new user. `init` is run where it belongs, in an empty folder.
 *
 * The examples are read from the help text itself (yargs wraps an example's
 * command across lines in its left column), a subcommand's from its own
 * help, so a new example is covered without touching this test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ProjectWorkspace } from "../projects/project-workspace.js";
import { BIN, cliEnv, REPO } from "../rig.js";

/** `sluice <args> --help`, as a user reads it. */
function help(args: readonly string[]): string {
  return execFileSync(process.execPath, [BIN, ...args, "--help"], { encoding: "utf8", env: cliEnv() });
}

/** The commands `sluice --help` lists (`sluice run [targets..]` -> `run`). */
function commands(): string[] {
  return [...help([]).matchAll(/^ {2}sluice (\w[\w-]*)/gm)].map((m) => m[1] as string);
}

/** The subcommands a command's help lists under Commands: (`sluice plots show` -> ["plots", "show"]). */
function subcommands(command: string): string[][] {
  const block = help([command]).split(/^Commands:\n/m)[1]?.split(/\n\n/)[0] ?? "";
  return [...block.matchAll(new RegExp(`^ {2}sluice ${command} (\\w[\\w-]*)`, "gm"))].map((m) => [command, m[1] as string]);
}

/** The example command lines of one help text, joined back across yargs' wrapping. */
export function examplesIn(text: string): string[] {
  const block = text.split(/^Examples:\n/m)[1];
  if (block === undefined) return [];
  const lines = block.split("\n").filter((line) => line.startsWith("  "));
  // The description column starts where the first example's description does.
  const first = /^ {2}\S.*?\S {2,}(?=\S)/.exec(lines[0] ?? "");
  const column = first ? first[0].length : Infinity;
  const examples: string[] = [];
  for (const line of lines) {
    const left = line.slice(0, column).trim();
    if (left === "") continue;
    if (left.startsWith("sluice ")) examples.push(left);
    else if (examples.length > 0) examples[examples.length - 1] += ` ${left}`;
  }
  return examples;
}

/** Order in which examples can run on a fresh clone: builds first (they make the releases others read), notebooks last (they edit a pipeline). */
function rank(command: string): number {
  if (command === "run") return 0;
  if (command === "graduate") return 2;
  return 1;
}

describe("the examples of every --help", { timeout: 600_000 }, () => {
  const all = commands().flatMap((command) =>
    [[command], ...subcommands(command)].flatMap((args) => examplesIn(help(args)).map((example) => ({ command, example }))),
  );
  const ordered = all.map((entry, index) => ({ ...entry, index })).sort((a, b) => rank(a.command) - rank(b.command) || a.index - b.index);
  const ws = new ProjectWorkspace("git-clone");
  const empty = mkdtempSync(join(tmpdir(), "sluice-help-init-"));
  afterAll(() => {
    rmSync(join(ws.root, ".."), { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it("finds the examples, each written as a sluice command, a subcommand's too", () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(all.map((e) => e.example)).toContain("sluice plots diff --out plots.html");
    expect(all.map((e) => e.example)).toContain("sluice run eta:evaluate --set eta:train.learningRate=0.2");
  });

  it("runs each of them successfully, as printed", () => {
    mkdirSync(join(empty, "node_modules"));
    symlinkSync(REPO, join(empty, "node_modules", "sluice"));
    const sluice = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
    const failures: string[] = [];
    for (const { command, example } of ordered) {
      const cwd = command === "init" ? empty : ws.root;
      const line = example.replace(/(^|&& )sluice /g, `$1${sluice} `);
      const ran = spawnSync("sh", ["-c", line], { cwd, encoding: "utf8", env: cliEnv({ SLUICE_ACTOR: "engineer" }), timeout: 240_000 });
      if (ran.status !== 0) failures.push(`${example} (exit ${ran.status}):\n${ran.stderr.slice(-600)}`);
    }
    expect(failures).toEqual([]);
  });
});
