/**
 * `sluice graduate <notebook.ipynb> --project P --stage S`: options -> read
 * the notebook -> graduate (pure, src/graduate) -> write the script and,
 * with --write, the pipeline file -> report. Refusals exit 2 with one message.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  graduateDocument,
  graduateNotebook,
  graduateSummary,
  insertStage,
  newPipelineFile,
  type Graduation,
  type Written,
} from "../../graduate/index.js";
import { findWorkspaceRoot, loadTimeoutMs, loadWorkspace } from "../../pipeline/index.js";
import { writeErr, writeOut } from "../../report/index.js";
import { defineCommand, type ArgsOf, type GlobalArgv } from "../command-args.js";
import { reportDiagnostics, usageError } from "../context.js";
import { exitWith } from "../exit-code.js";

/** The notebook and options of `sluice graduate`, which `pipelineEdit` reads too. */
function graduateOptions(yargs: GlobalArgv) {
  return yargs
    .positional("notebook", { type: "string", demandOption: true, describe: "the .ipynb file" })
    .option("project", { alias: "p", type: "string", demandOption: true, describe: "project to add the stage to (projects/<project>)" })
    .option("stage", { alias: "s", type: "string", demandOption: true, describe: "stage name; the script becomes projects/<project>/stages/<stage>.py" })
    .option("write", { type: "boolean", default: false, describe: "insert the declaration into projects/<project>/pipeline.ts instead of printing it" })
    .option("allow-out-of-order", { type: "boolean", default: false, describe: "graduate even though cells were run out of order" })
    .option("force", { type: "boolean", default: false, describe: "overwrite an existing script" })
    .example("$0 graduate projects/eta/notebooks/train.ipynb --project eta --stage train_py", "print the declaration to paste")
    .example("$0 graduate projects/eta/notebooks/train.ipynb -p eta -s train_py --write", "add it to projects/eta/pipeline.ts");
}

const command = defineCommand({
  command: "graduate <notebook>",
  describe: "Turn a Jupyter notebook into a python3 stage: a script with parsed params, and its declaration",
  builder: graduateOptions,
  handler: async (argv) => {
    const from = argv.cwd ?? process.cwd();
    const root = findWorkspaceRoot(from);
    if (!root) return void usageError(`no sluice workspace at or above ${from} (\`sluice init\` creates one)`);
    const notebookPath = resolve(from, argv.notebook);
    if (!existsSync(notebookPath)) return void usageError(`no notebook at ${notebookPath}`);
    const timeoutMs = loadTimeoutMs(argv.loadTimeoutMs, process.env);
    if (!timeoutMs.ok) return void usageError(timeoutMs.error);
    const existing = await existingProject(root, argv.project, timeoutMs.value);
    // Ctrl-C while the pipeline loaded: stop before writing anything (the message is printed).
    if (existing === "interrupted") return;
    const graduated = graduateNotebook({
      notebookPath,
      notebookText: readFileSync(notebookPath, "utf8"),
      workspaceRoot: root,
      project: argv.project,
      stage: argv.stage,
      allowOutOfOrder: argv.allowOutOfOrder,
      existing,
    });
    if (!graduated.ok) return void usageError(graduated.error.message);
    const graduation = graduated.value;
    const scriptPath = join(root, graduation.scriptFile);
    if (existsSync(scriptPath) && !argv.force && readFileSync(scriptPath, "utf8") !== graduation.script) {
      return void usageError(`${graduation.scriptFile} already exists; pass --force to overwrite it, or pick another --stage`);
    }
    // The pipeline edit is worked out before anything is written, so a refusal leaves no half graduation.
    const pipeline = argv.write ? pipelineEdit(root, graduation, argv) : undefined;
    if (pipeline === null) return;
    mkdirSync(dirname(scriptPath), { recursive: true });
    writeFileSync(scriptPath, graduation.script);
    if (pipeline) writeFileSync(join(root, graduation.pipelineFile), pipeline.text);
    const written: Written = { script: true, pipeline: pipeline?.kind };
    writeErr(graduateSummary(graduation, written));
    if (pipeline?.kind === "created") writeErr(`add "projects/${argv.project}" to the projects of the root pipeline.ts`);
    if (argv.json) writeOut(JSON.stringify(graduateDocument(graduation, written), null, 2));
    else if (!pipeline) writeOut(graduation.declaration);
  },
});

/**
 * The folder and pipeline file of the project when the workspace declares it
 * (a project may live anywhere, or be the root pipeline itself, as `sluice
 * init` makes it). A workspace that does not load yet is no reason to refuse:
 * the stage then goes to projects/<project>/.
 */
async function existingProject(
  root: string,
  name: string,
  timeoutMs: number,
): Promise<{ dir: string; file: string } | undefined | "interrupted"> {
  const loaded = await loadWorkspace(root, { timeoutMs });
  if (!loaded.ok && loaded.error.some((d) => d.reason === "load-interrupted")) {
    reportDiagnostics(loaded.error.filter((d) => d.reason === "load-interrupted"));
    exitWith("interrupted");
    return "interrupted";
  }
  const project = loaded.ok ? loaded.value.projects.find((p) => p.name === name) : undefined;
  return project ? { dir: project.dir, file: project.file } : undefined;
}

/** The new pipeline text, or null (exit 2 set) when it cannot be edited safely. */
function pipelineEdit(root: string, graduation: Graduation, argv: ArgsOf<typeof graduateOptions>): { kind: "inserted" | "created"; text: string } | null {
  const path = join(root, graduation.pipelineFile);
  const request = {
    project: argv.project,
    stage: argv.stage,
    file: graduation.pipelineFile,
    declaration: graduation.declarationFor,
    imports: graduation.imports,
  };
  if (!existsSync(path)) return { kind: "created", text: newPipelineFile(request) };
  const inserted = insertStage(readFileSync(path, "utf8"), request);
  if (!inserted.ok) return usageError(inserted.error.message) ?? null;
  return { kind: "inserted", text: inserted.value };
}

export default command;
