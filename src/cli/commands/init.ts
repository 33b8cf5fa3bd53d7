/**
 * `sluice init`: scaffold a workspace in the current folder (or -C). Writes
 * package.json only when there is none, appends what is missing of
 * `node_modules/` and `/cache/` to an existing .gitignore, and refuses (exit 2, naming them) when any other file it
 * would write already exists: init never overwrites someone's work.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { writeErr, writeOut } from "../../report/index.js";
import { usageError, type GlobalOptions } from "../context.js";
import { GITIGNORE_LINES, projectName, scaffoldFiles, scaffoldPackageJson } from "../init-scaffold.js";

const command: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "init",
  describe: "Create a workspace here: pipeline.ts listing projects/<name>/ with two example stages, .gitignore for node_modules/ and cache/, registry/",
  builder: (yargs: Argv<GlobalOptions>) => yargs.example("$0 init && $0 run", "scaffold, then build it"),
  handler: (argv) => {
    const root = resolve(argv.cwd ?? process.cwd());
    const name = projectName(basename(root));
    const files = scaffoldFiles(name);
    const existing = files.map((f) => f.path).filter((path) => existsSync(join(root, path)));
    if (existing.length > 0) {
      return void usageError(`sluice init would overwrite ${existing.join(", ")} in ${root}; move them away or init in an empty folder`);
    }
    const created: string[] = [];
    const updated: string[] = [];
    if (!existsSync(join(root, "package.json"))) {
      write(root, "package.json", scaffoldPackageJson(name));
      created.push("package.json");
    } else if (!isModulePackage(join(root, "package.json"))) {
      writeErr('note: package.json has no "type": "module"; sluice loads pipeline.ts as an ES module either way\n');
    }
    for (const file of files) {
      write(root, file.path, file.text);
      created.push(file.path);
    }
    const gitignore = join(root, ".gitignore");
    if (!existsSync(gitignore)) {
      write(root, ".gitignore", `${GITIGNORE_LINES.join("\n")}\n`);
      created.push(".gitignore");
    } else {
      const text = readFileSync(gitignore, "utf8");
      const bare = (pattern: string) => pattern.trim().replace(/^\/|\/$/g, "");
      const missing = GITIGNORE_LINES.filter((line) => !text.split("\n").some((l) => bare(l) === bare(line)));
      if (missing.length > 0) {
        appendFileSync(gitignore, `${text.endsWith("\n") || text === "" ? "" : "\n"}${missing.join("\n")}\n`);
        updated.push(".gitignore");
      }
    }
    if (argv.json) return void writeOut(JSON.stringify({ root, project: name, created, updated }, null, 2));
    writeOut(`created ${created.join(", ")}${updated.length > 0 ? `; updated ${updated.join(", ")}` : ""}`);
    writeOut(`next: npx sluice run   (then edit projects/${name}/data/input.txt or a param and run it again)`);
  },
};

function write(root: string, path: string, text: string): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  // `wx`: a file that appeared since the check is still never overwritten.
  writeFileSync(full, text, { flag: "wx" });
}

function isModulePackage(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { type?: unknown }).type === "module";
  } catch {
    return false;
  }
}

export default command;
