/**
 * What `sluice graduate` tells the user, as text the command prints through
 * report/: on stderr, what it found (params, candidate files, commented-out
 * magics, the calls whose files it could not detect, warnings); on stdout, the declaration to paste (or the `--json`
 * document).
 */
import type { Graduation, Undetected } from "./graduate.js";

/** What the command wrote: the script, and whether the pipeline file was edited or created. */
export interface Written {
  readonly script: boolean;
  readonly pipeline: "inserted" | "created" | undefined;
}

/** The human summary for stderr. */
export function graduateSummary(graduation: Graduation, written: Written): string {
  const lines: string[] = [];
  lines.push(`${written.script ? "wrote" : "would write"} ${graduation.scriptFile}`);
  if (graduation.params.length > 0) {
    lines.push(`params: ${graduation.params.map((p) => `${p.name} = ${JSON.stringify(p.value)} (${p.kind})`).join(", ")}`);
  } else lines.push("params: none (tag a cell `parameters` to turn its literal assignments into params)");
  for (const file of graduation.files) {
    const how = file.flag === undefined ? `declared by --${file.role}s` : `${file.calls.join(", ")}; ${file.flag}`;
    lines.push(`${file.role === "dep" ? "reads " : "writes"} ${file.path}  (${how})`);
  }
  if (graduation.magics.length > 0) {
    lines.push(`warning: commented out ${graduation.magics.length} IPython magic(s) and shell escape(s) python3 cannot run:`);
    for (const magic of graduation.magics) lines.push(`  cell ${magic.cell}, line ${magic.line}: ${magic.text.split("\n")[0]}`);
  }
  if (graduation.undetected.length > 0) {
    lines.push(`warning: could not detect the files of ${graduation.undetected.length} call(s); declare what they read or write with --deps or --outs (paths relative to the project folder, where the stage runs):`);
    for (const use of graduation.undetected) lines.push(`  cell ${use.cell}, line ${use.line}: ${use.code} ${use.why}${hintOf(use.direction)}`);
  }
  for (const warning of graduation.warnings) lines.push(`warning: ${warning}`);
  if (written.pipeline) lines.push(`${written.pipeline === "created" ? "created" : "added the stage to"} ${graduation.pipelineFile}`);
  else lines.push(`add this stage to ${graduation.pipelineFile} (or rerun with --write):`);
  return lines.join("\n");
}

/** The flag that declares what an undetected call uses. */
function hintOf(direction: Undetected["direction"]): string {
  if (direction === "read") return " (--deps <path>)";
  if (direction === "write") return " (--outs <path>)";
  return " (write it to a file and --outs <path>)";
}

/** The `--json` document: everything a script would want, declaration included. */
export function graduateDocument(graduation: Graduation, written: Written) {
  return {
    script: graduation.scriptFile,
    pipeline: graduation.pipelineFile,
    written: { script: written.script, pipeline: written.pipeline ?? null },
    params: Object.fromEntries(graduation.params.map((p) => [p.name, p.value])),
    deps: graduation.files.filter((f) => f.role === "dep").map((f) => ({ name: f.name, path: f.path, flag: f.flag ?? null })),
    outs: graduation.files.filter((f) => f.role === "out").map((f) => ({ name: f.name, path: f.path, flag: f.flag ?? null })),
    magics: graduation.magics,
    undetected: graduation.undetected,
    warnings: graduation.warnings,
    declaration: graduation.declaration,
  };
}
