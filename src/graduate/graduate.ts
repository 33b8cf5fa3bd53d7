/**
 * Notebook in, stage out. The passes, in order:
 *
 *   parse .ipynb -> refuse non-Python / out-of-order -> comment out magics
 *   -> literal params of the `parameters` cell -> literal file paths
 *   -> rewrite literals into parsed flags -> script + declaration
 *
 * Pure: it reads and writes no files. The command reads the notebook, and
 * writes the script and (with --write) the pipeline file.
 */
import { dirname, join, relative, sep } from "node:path";
import { fail, ok, type Result } from "../util/result.js";
import { renderDeclaration, declarationImports } from "./declaration.js";
import { describeViolations, executionOrderViolations } from "./execution-order.js";
import { fileCandidates, scriptPathInProject, type DeclaredFiles, type FileCandidate } from "./file-candidates.js";
import { findPathUses, type PathUse, type UndetectedUse } from "./file-paths.js";
import { commentOutMagics, type Magic } from "./magics.js";
import { parseNotebook, type NotebookCell } from "./notebook.js";
import { readParameters, type NotebookParam } from "./parameters.js";
import type { GraduateProblem } from "./problem.js";
import { ARGS, renderScript, type ScriptCell } from "./script.js";

/** What to graduate, and where it goes. */
export interface GraduateRequest {
  /** Absolute path of the notebook. */
  readonly notebookPath: string;
  readonly notebookText: string;
  /** Absolute workspace root. */
  readonly workspaceRoot: string;
  readonly project: string;
  readonly stage: string;
  readonly allowOutOfOrder: boolean;
  /** Files the code's paths do not show (`--deps`, `--outs`), project-relative. */
  readonly declared?: DeclaredFiles | undefined;
  /**
   * Where the project already lives (absolute folder and pipeline file), when
   * the workspace declares it; a new project goes under `projects/<project>/`.
   */
  readonly existing?: { readonly dir: string; readonly file: string } | undefined;
}

/** The result: the script to write, the declaration to add, and what to tell the user. */
export interface Graduation {
  /** Workspace-relative paths. */
  readonly scriptFile: string;
  readonly pipelineFile: string;
  readonly script: string;
  /** The declaration for a builder parameter named `p`. */
  readonly declaration: string;
  /** Renders the declaration for another builder parameter name (for --write). */
  readonly declarationFor: (builder: string) => string;
  /** Pipeline API names the declaration uses. */
  readonly imports: readonly string[];
  readonly params: readonly NotebookParam[];
  readonly files: readonly FileCandidate[];
  readonly magics: readonly Magic[];
  /** File uses it could not pin down, for the user to declare with `--deps`/`--outs`. */
  readonly undetected: readonly Undetected[];
  readonly warnings: readonly string[];
}

/** A call whose file graduate could not declare: a path built at run time, or an output sent elsewhere. */
export interface Undetected {
  readonly cell: number;
  /** 1-based line in the cell. */
  readonly line: number;
  /** The call, shortened. */
  readonly code: string;
  readonly direction: UndetectedUse["direction"];
  readonly why: string;
}

const NAME = /^[a-z][a-z0-9_-]*$/;

/** Graduates one notebook, or says why it will not. */
export function graduateNotebook(request: GraduateRequest): Result<Graduation, GraduateProblem> {
  const notebookName = toPosix(relative(request.workspaceRoot, request.notebookPath));
  for (const [what, name] of [["--project", request.project], ["--stage", request.stage]] as const) {
    if (!NAME.test(name)) return fail({ reason: "invalid-name", message: `${what} "${name}" must be lower case letters, digits, _ or -, starting with a letter` });
  }
  const parsed = parseNotebook(request.notebookText, notebookName);
  if (!parsed.ok) return parsed;
  const { language, cells } = parsed.value;
  if (language !== undefined && language !== "python") {
    return fail({ reason: "not-python", message: `${notebookName} runs a ${language} kernel; sluice graduate turns Python notebooks into scripts` });
  }
  const violations = executionOrderViolations(cells);
  const warnings: string[] = [];
  if (violations.length > 0) {
    if (!request.allowOutOfOrder) return fail({ reason: "out-of-order", message: describeViolations(notebookName, violations) });
    warnings.push(`graduated although cells ran out of order (--allow-out-of-order): check the script reproduces the notebook`);
  }

  const projectDir = request.existing?.dir ?? join(request.workspaceRoot, "projects", request.project);
  const pipelineFile = request.existing?.file ?? join(projectDir, "pipeline.ts");
  const code = codeCells(cells, warnings);
  const uses = code.flatMap((c) => c.uses);
  const { files, warnings: fileWarnings, problems } = fileCandidates(
    uses,
    { notebookDir: dirname(request.notebookPath), projectDir, workspaceRoot: request.workspaceRoot },
    request.declared,
  );
  if (problems.length > 0) return fail({ reason: "bad-file-flag", message: problems.join("\n") });
  warnings.push(...fileWarnings);
  const params = code.flatMap((c) => c.params);
  const byLiteral = new Map(files.map((f) => [f.literal, f]));
  const scriptCells: ScriptCell[] = cells.flatMap((cell): ScriptCell[] => {
    if (cell.kind === "markdown") return [{ kind: "markdown", text: cell.source, tags: [] }];
    const rewritten = code.find((c) => c.cell === cell.number);
    return rewritten ? [{ kind: "code", text: rewrite(rewritten, byLiteral), tags: cell.tags }] : [];
  });
  const magics = code.flatMap((c) => c.magics);
  const script = scriptPathInProject(request.stage);
  const scriptFile = toPosix(relative(request.workspaceRoot, join(projectDir, script)));
  const declarationFor = (builder: string) =>
    renderDeclaration({ stage: request.stage, notebook: notebookName, script, params, files }, builder);
  return ok({
    scriptFile,
    pipelineFile: toPosix(relative(request.workspaceRoot, pipelineFile)),
    script: renderScript({ notebook: notebookName, params, files, cells: scriptCells }),
    declaration: declarationFor("p"),
    declarationFor,
    imports: declarationImports(files),
    params,
    files,
    magics,
    undetected: code.flatMap((c) => c.undetected),
    warnings,
  });
}

interface CodeCell {
  readonly cell: number;
  readonly code: string;
  readonly params: readonly NotebookParam[];
  readonly uses: readonly PathUse[];
  readonly undetected: readonly Undetected[];
  readonly magics: readonly Magic[];
}

/** Cleans each code cell and finds its params (parameters cell only) and literal paths. */
function codeCells(cells: readonly NotebookCell[], warnings: string[]): CodeCell[] {
  const tagged = cells.filter((c) => c.kind === "code" && c.tags.includes("parameters"));
  if (tagged.length > 1) warnings.push(`cells ${tagged.map((c) => c.number).join(", ")} are all tagged parameters; only cell ${tagged[0]?.number} becomes params`);
  return cells
    .filter((cell) => cell.kind === "code" && cell.source.trim() !== "")
    .map((cell) => {
      const { code, magics } = commentOutMagics(cell.source, cell.number);
      let params: NotebookParam[] = [];
      if (cell === tagged[0]) {
        const read = readParameters(code);
        // Python's last assignment wins; earlier ones stay literal code the flag then overrides.
        params = [...new Map(read.params.map((p) => [p.name, p])).values()];
        if (read.computed.length > 0) warnings.push(`parameters ${read.computed.join(", ")} are computed, not literals: they stay code and are not params`);
        for (const p of params) if (p.kind === "str" && /[\\/]|\.\w{1,5}$/.test(String(p.value))) {
          warnings.push(`param ${p.name} = ${JSON.stringify(p.value)} looks like a file path: if the notebook reads or writes it, declare it with --deps or --outs`);
        }
      }
      const found = findPathUses(code);
      const undetected = found.undetected.map(({ offset, ...use }) => ({ cell: cell.number, line: code.slice(0, offset).split("\n").length, ...use }));
      return { cell: cell.number, code, params, uses: found.uses, undetected, magics };
    });
}

/** Replaces each literal param value and each literal path with the parsed flag. */
function rewrite(cell: CodeCell, byLiteral: ReadonlyMap<string, FileCandidate>): string {
  const edits = [
    ...cell.params.map((p) => ({ start: p.start, end: p.end, text: `${ARGS}.${p.name}` })),
    ...cell.uses.map((u) => ({ start: u.start, end: u.end, text: `${ARGS}.${byLiteral.get(u.path)?.dest ?? ""}` })),
  ].sort((a, b) => b.start - a.start);
  let text = cell.code;
  for (const edit of edits) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return text;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}
