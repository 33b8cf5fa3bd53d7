/**
 * What `sluice graduate` tells the user, as text the command prints through
 * report/: on stderr, what it found (params, candidate files, commented-out
 * magics, warnings); on stdout, the declaration to paste (or the `--json`
 * document).
 */
import type { Graduation } from "./graduate.js";

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
    lines.push(`${file.role === "dep" ? "reads " : "writes"} ${file.path}  (${file.calls.join(", ")}; ${file.flag})`);
  }
  if (graduation.magics.length > 0) {
    lines.push(`warning: commented out ${graduation.magics.length} IPython magic(s) and shell escape(s) python3 cannot run:`);
    for (const magic of graduation.magics) lines.push(`  cell ${magic.cell}, line ${magic.line}: ${magic.text.split("\n")[0]}`);
  }
  for (const warning of graduation.warnings) lines.push(`warning: ${warning}`);
  if (written.pipeline) lines.push(`${written.pipeline === "created" ? "created" : "added the stage to"} ${graduation.pipelineFile}`);
  else lines.push(`add this stage to ${graduation.pipelineFile} (or rerun with --write):`);
  return lines.join("\n");
}

/** The `--json` document: everything a script would want, declaration included. */
export function graduateDocument(graduation: Graduation, written: Written) {
  return {
    script: graduation.scriptFile,
    pipeline: graduation.pipelineFile,
    written: { script: written.script, pipeline: written.pipeline ?? null },
    params: Object.fromEntries(graduation.params.map((p) => [p.name, p.value])),
    deps: graduation.files.filter((f) => f.role === "dep").map((f) => ({ name: f.name, path: f.path, flag: f.flag })),
    outs: graduation.files.filter((f) => f.role === "out").map((f) => ({ name: f.name, path: f.path, flag: f.flag })),
    magics: graduation.magics,
    warnings: graduation.warnings,
    declaration: graduation.declaration,
  };
}
