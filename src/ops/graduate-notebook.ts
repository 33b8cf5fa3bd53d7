/**
 * `sluice graduate`: a notebook turned into a python3 stage. The notebook is
 * read, graduated (pure, src/graduate), and its script written; with
 * `write`, the declaration goes into the project's pipeline file. Every
 * refusal comes before the first write, so none leaves half a graduation.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { graduateNotebook, insertStage, newPipelineFile, type Graduation, type Written } from "../graduate/index.js";
import { loadTimeoutMs, loadWorkspace, type Diagnostic } from "../pipeline/index.js";
import { workspaceRootAt } from "./load-workspace.js";
import { fail } from "../util/result.js";
import { refuse, type OpFailure, type OpResult } from "./failure.js";

export interface GraduateRequest {
  readonly cwd: string;
  readonly notebook: string;
  readonly project: string;
  readonly stage: string;
  /** Insert the declaration into the project's pipeline file instead of returning it to print. */
  readonly write: boolean;
  readonly allowOutOfOrder: boolean;
  /** Overwrite an existing script. */
  readonly force: boolean;
  /** Files the script reads or writes that graduate could not detect (`--deps a,b --deps c`). */
  readonly deps: readonly string[];
  readonly outs: readonly string[];
  readonly loadTimeoutMs: number | undefined;
}

export interface Graduated {
  readonly graduation: Graduation;
  readonly written: Written;
}

export async function graduate(request: GraduateRequest): Promise<OpResult<Graduated>> {
  const found = workspaceRootAt(request.cwd);
  if (!found.ok) return found;
  const root = found.value;
  const notebookPath = resolve(request.cwd, request.notebook);
  if (!existsSync(notebookPath)) return refuse("usage", `no notebook at ${notebookPath}`);
  const timeoutMs = loadTimeoutMs(request.loadTimeoutMs, process.env);
  if (!timeoutMs.ok) return refuse("usage", timeoutMs.error);
  const existing = await existingProject(root, request.project, timeoutMs.value);
  // Ctrl-C while the pipeline loaded: stop before writing anything.
  if (existing.interrupted) return fail<OpFailure>({ kind: "interrupted", diagnostics: existing.interrupted });
  const graduated = graduateNotebook({
    notebookPath,
    notebookText: readFileSync(notebookPath, "utf8"),
    workspaceRoot: root,
    project: request.project,
    stage: request.stage,
    allowOutOfOrder: request.allowOutOfOrder,
    declared: { deps: splitList(request.deps), outs: splitList(request.outs) },
    existing: existing.project,
  });
  if (!graduated.ok) return refuse("usage", graduated.error.message);
  const graduation = graduated.value;
  const scriptPath = join(root, graduation.scriptFile);
  if (existsSync(scriptPath) && !request.force && readFileSync(scriptPath, "utf8") !== graduation.script) {
    return refuse("usage", `${graduation.scriptFile} already exists; pass --force to overwrite it, or pick another --stage`);
  }
  const pipeline = request.write ? pipelineEdit(root, graduation, request) : undefined;
  if (pipeline && !pipeline.ok) return pipeline;
  mkdirSync(dirname(scriptPath), { recursive: true });
  writeFileSync(scriptPath, graduation.script);
  if (pipeline) writeFileSync(join(root, graduation.pipelineFile), pipeline.value.text);
  return { ok: true, value: { graduation, written: { script: true, pipeline: pipeline?.value.kind } } };
}

/** `--outs a.png --outs b.csv` and `--outs a.png,b.csv` alike. */
function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => String(v).split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

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
): Promise<{ project?: { dir: string; file: string }; interrupted?: Diagnostic[] }> {
  const loaded = await loadWorkspace(root, { timeoutMs });
  if (!loaded.ok && loaded.error.some((d) => d.reason === "load-interrupted")) return { interrupted: loaded.error.filter((d) => d.reason === "load-interrupted") };
  const project = loaded.ok ? loaded.value.projects.find((p) => p.name === name) : undefined;
  return project ? { project: { dir: project.dir, file: project.file } } : {};
}

/** The project's pipeline text with the stage added (or a new file), or why it cannot be edited safely. */
function pipelineEdit(root: string, graduation: Graduation, request: GraduateRequest): OpResult<{ kind: "inserted" | "created"; text: string }> {
  const path = join(root, graduation.pipelineFile);
  const edit = { project: request.project, stage: request.stage, file: graduation.pipelineFile, declaration: graduation.declarationFor, imports: graduation.imports };
  if (!existsSync(path)) return { ok: true, value: { kind: "created", text: newPipelineFile(edit) } };
  const inserted = insertStage(readFileSync(path, "utf8"), edit);
  return inserted.ok ? { ok: true, value: { kind: "inserted", text: inserted.value } } : refuse("usage", inserted.error.message);
}
