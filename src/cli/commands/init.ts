/**
 * `sluice init`: scaffold a workspace in the current folder (or -C); see
 * ops/init-workspace.ts for what it writes and what it never overwrites.
 */
import { initWorkspace } from "../../ops/index.js";
import { writeErr, writeOut } from "../../report/index.js";
import { defineCommand } from "../command-args.js";
import { exitWithFailure } from "../exit-code.js";

const command = defineCommand({
  command: "init",
  describe: "Create a workspace here: pipeline.ts listing projects/<name>/ with two example stages, .gitignore for node_modules/, cache/ and report/, registry/",
  builder: (yargs) => yargs.example("$0 init && $0 run", "scaffold, then build it"),
  handler: (argv) => {
    const initialized = initWorkspace(argv.cwd ?? process.cwd());
    if (!initialized.ok) return exitWithFailure(initialized.error);
    const { root, project, created, updated, notModule } = initialized.value;
    if (notModule) writeErr('note: package.json does not say "type": "module"; sluice loads pipeline.ts and its imports as ES modules either way\n');
    if (argv.json) return void writeOut(JSON.stringify({ root, project, created, updated }, null, 2));
    writeOut(`created ${created.join(", ")}${updated.length > 0 ? `; updated ${updated.join(", ")}` : ""}`);
    writeOut(`next: npx sluice run   (then edit projects/${project}/data/input.txt or a param and run it again)`);
  },
});

export default command;
