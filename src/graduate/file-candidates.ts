/**
 * Turns the literal paths of a notebook into candidate deps and outs of the
 * stage. A path written anywhere is an output (a stage cannot depend on its
 * own output); a path only read is a source dep. Paths are resolved against
 * the notebook's folder, which is where Jupyter ran it, and then expressed
 * relative to the project, which is where sluice runs the stage.
 */
import { basename, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { PathUse } from "./file-paths.js";

/** A file the stage reads (`dep`) or writes (`out`). */
export interface FileCandidate {
  /** Name in the stage's `deps` or `outs`. */
  readonly name: string;
  readonly role: "dep" | "out";
  /** The path as the notebook wrote it (the script's default). */
  readonly literal: string;
  /** Project-relative posix path for `source(...)` / `file(...)`. */
  readonly path: string;
  /**
   * The script's flag (`--dep-raw`) and its argparse dest (`dep_raw`);
   * undefined for a file declared with `--deps`/`--outs`, whose path the
   * script computes itself.
   */
  readonly flag: string | undefined;
  readonly dest: string | undefined;
  /** The calls that use it, for the summary (`read_csv`, `to_csv`); empty for a file declared by flag. */
  readonly calls: readonly string[];
}

/** Files the user declares by flag, project-relative: where the stage, run in the project folder, reads and writes them. */
export interface DeclaredFiles {
  readonly deps: readonly string[];
  readonly outs: readonly string[];
}

/** Where the notebook, project and workspace are (absolute paths). */
export interface Places {
  readonly notebookDir: string;
  readonly projectDir: string;
  readonly workspaceRoot: string;
}

/**
 * Groups the uses by literal path, names them, and notes anything the user
 * should check; then adds the files declared by flag, or says why one
 * cannot be declared.
 */
export function fileCandidates(
  uses: readonly PathUse[],
  places: Places,
  declared: DeclaredFiles = { deps: [], outs: [] },
): { files: FileCandidate[]; warnings: string[]; problems: string[] } {
  const byLiteral = new Map<string, PathUse[]>();
  for (const use of uses) byLiteral.set(use.path, [...(byLiteral.get(use.path) ?? []), use]);
  const warnings: string[] = [];
  const taken = { dep: new Set(["script"]), out: new Set<string>() }; // `script` is the graduated .py itself
  const files: FileCandidate[] = [];
  for (const [literal, group] of byLiteral) {
    const written = group.some((u) => u.direction === "write");
    const role = written ? "out" : "dep";
    if (written && group[0]?.direction === "read") {
      warnings.push(`${literal} is read before the notebook writes it; it is declared as an output, so the stage never sees an earlier version`);
    }
    const name = uniqueName(identifier(literal), taken[role]);
    const path = role === "dep" ? depPath(literal, places, warnings) : outPath(literal, places, warnings);
    const prefix = role === "dep" ? "dep" : "out";
    files.push({
      name,
      role,
      literal,
      path,
      flag: `--${prefix}-${name.replace(/_/g, "-")}`,
      dest: `${prefix}_${name}`,
      calls: [...new Set(group.map((u) => u.call))],
    });
  }
  const problems: string[] = [];
  for (const [role, paths] of [["dep", declared.deps], ["out", declared.outs]] as const) {
    for (const given of paths) {
      const absolute = resolve(places.projectDir, given);
      const outside = isOutside(role === "out" ? places.projectDir : places.workspaceRoot, absolute);
      if (isAbsolute(given) || outside) {
        problems.push(`--${role}s ${given}: ${role === "out" ? "an output lies inside the project folder" : "a dep lies inside the workspace"} (${toPosix(relative(places.workspaceRoot, places.projectDir))}); give the path relative to it, where the stage runs`);
        continue;
      }
      const path = toPosix(relative(places.projectDir, absolute));
      if (files.some((f) => f.path === path)) continue; // found in the code already
      files.push({ name: uniqueName(identifier(path), taken[role]), role, literal: given, path, flag: undefined, dest: undefined, calls: [] });
    }
  }
  return { files, warnings, problems };
}

function depPath(literal: string, places: Places, warnings: string[]): string {
  const absolute = resolve(places.notebookDir, literal);
  if (isOutside(places.workspaceRoot, absolute)) {
    warnings.push(`${literal} is outside the workspace; copy it into projects/ (or make it another stage's output) and fix the declared source path`);
    return toPosix(literal);
  }
  return toPosix(relative(places.projectDir, absolute));
}

function outPath(literal: string, places: Places, warnings: string[]): string {
  const absolute = resolve(places.notebookDir, literal);
  if (!isOutside(places.projectDir, absolute)) return toPosix(relative(places.projectDir, absolute));
  // sluice keeps every output inside its project, so an output elsewhere moves under data/.
  const moved = `data/${basename(literal)}`;
  warnings.push(`${literal} is written outside the project; the stage declares it as ${moved} instead`);
  return moved;
}

function isOutside(root: string, absolute: string): boolean {
  const rel = relative(root, absolute);
  return rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** `data/raw-events.csv` -> `raw_events`: a name valid in TypeScript, Python and a flag. */
function identifier(path: string): string {
  const stem = basename(path, extname(path)).toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  if (stem === "") return "file";
  return /^[0-9]/.test(stem) ? `f_${stem}` : stem;
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** Project-relative path of the graduated script. */
export function scriptPathInProject(stage: string): string {
  return join("stages", `${stage}.py`).split(sep).join("/");
}
