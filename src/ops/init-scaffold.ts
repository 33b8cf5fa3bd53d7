/**
 * The files `sluice init` writes: the smallest workspace that shows both
 * kinds of stage. A `cmd` stage feeds a `run` stage whose function lives in
 * its own module, because a stage function's code identity is its module
 * (and what that imports): kept apart, an edit to the pipeline file does not
 * rerun it, and an edit to the function reruns only it.
 */

/** One file of the scaffold, workspace-relative. */
export interface ScaffoldFile {
  readonly path: string;
  readonly text: string;
}

/**
 * The scaffold for a project named `name`, in the layout the README teaches:
 * a root pipeline listing projects, each project in `projects/<name>/` with
 * its pipeline, stage code and data beside it.
 */
export function scaffoldFiles(name: string): ScaffoldFile[] {
  const project = `projects/${name}`;
  return [
    { path: "pipeline.ts", text: workspacePipeline(project) },
    { path: `${project}/pipeline.ts`, text: projectPipeline(name) },
    { path: `${project}/count-words.ts`, text: COUNT_WORDS },
    { path: `${project}/data/input.txt`, text: INPUT },
    { path: "registry/.gitkeep", text: "" },
  ];
}

/** A package.json for a folder that has none; ESM, because pipeline files are ES modules. */
export function scaffoldPackageJson(name: string): string {
  return `${JSON.stringify({ name, private: true, type: "module", scripts: { pipeline: "sluice run" } }, null, 2)}\n`;
}

/**
 * The lines `.gitignore` needs, appended when the file exists: what sluice makes again at will (the
 * cache, the pages `sluice report` and `plots` write) and the outputs of the project it scaffolds,
 * which the cache holds and `sluice.lock` names: committed, they would be a second copy that can go stale.
 */
export function gitignoreLines(project: string): string[] {
  return ["node_modules/", "/cache/", "/report/", `/projects/${project}/out/`];
}

/** A folder name made into a valid project name (`My Repo` -> `my-repo`). */
export function projectName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^[-_.]+|-+$/g, "");
  return name === "" ? "main" : name;
}

function workspacePipeline(project: string): string {
  return `/**
 * The workspace: the projects whose pipelines sluice builds. \`npx sluice run\`
 * builds every stale stage, \`npx sluice dag\` draws the graph,
 * \`npx sluice explain <stage>\` says why a stage would rerun.
 */
import { defineWorkspace } from "sluice";

export default defineWorkspace({ projects: [${JSON.stringify(project)}] });
`;
}

function projectPipeline(name: string): string {
  return `/**
 * The stages of project ${name}. Paths are relative to this folder.
 */
import { defineProject, file, runFrom, source, type StagesOf } from "sluice";

const project = defineProject(${JSON.stringify(name)}, (p) => {
  // A shell command: {deps.x}, {outs.y} and {params.z} are filled in by sluice.
  const words = p.stage("words", {
    deps: { text: source("data/input.txt") },
    params: { minLength: 3 },
    outs: { words: file("out/words.txt") },
    cmd: "tr -cs '[:alnum:]' '\\\\n' < {deps.text} | tr '[:upper:]' '[:lower:]' | awk 'length >= {params.minLength}' > {outs.words}",
  });

  // A TypeScript function in its own module: only its own edits rerun it, and
  // only running the stage loads it (a no-op run or \`status\` never does).
  const counts = p.stage("counts", {
    deps: { words: words.outs.words },
    params: { top: 5 },
    outs: { counts: file("out/counts.txt") },
    run: runFrom(() => import("./count-words.js"), "countWords"),
  });
  return { words, counts };
});
export default project;

/** The stages by name: a stage module types its function from its stage (\`StageContextOf<Stages["counts"]>\`). */
export type Stages = StagesOf<typeof project>;
`;
}

const COUNT_WORDS = `import { readFileSync, writeFileSync } from "node:fs";
import type { StageContextOf } from "sluice";
import type { Stages } from "./pipeline.js";

/** Counts each word and writes the most frequent ones, one "count word" per line. */
export function countWords(ctx: StageContextOf<Stages["counts"]>): void {
  const counts = new Map<string, number>();
  for (const word of readFileSync(ctx.deps.words, "utf8").split("\\n").filter(Boolean)) {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, ctx.params.top);
  writeFileSync(ctx.outs.counts, top.map(([word, n]) => \`\${n} \${word}\`).join("\\n") + "\\n");
  ctx.log(\`\${counts.size} distinct words\`);
}
`;

const INPUT = `The pipeline reads this file. Edit it and run the pipeline again:
only the stages downstream of the edit run, everything else is a cache hit.
A stage is a cache hit when its inputs, params and code are unchanged.
`;
