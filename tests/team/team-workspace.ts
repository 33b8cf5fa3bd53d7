/**
 * The demo workspace plus a directory output, so remote round trips cover
 * files, directories (a manifest object naming file objects) and json:
 *
 *   ingest ─▶ clean ─▶ features ─▶ report
 *               ├───▶ stats ─────▶ ┘
 *               └───▶ parts (dir)
 *   other
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { demoFiles, PROJECT } from "../fixtures/demo-workspace.js";
import type { Workspace } from "../rig.js";

const PARTS_STAGE = `  p.stage("parts", {
    deps: { table: clean.outs.table },
    outs: { parts: dir("data/parts") },
    cmd: 'echo run >> "$COUNTS/parts"; mkdir -p {outs.parts}/sub; cp {deps.table} {outs.parts}/a.csv; echo part > {outs.parts}/sub/b.txt',
  });
});
`;

export const TEAM_STAGES = [
  "demo:clean",
  "demo:features",
  "demo:ingest",
  "demo:other",
  "demo:parts",
  "demo:report",
  "demo:stats",
];

/** Every output path of the team workspace, workspace-relative. */
export const TEAM_OUTPUTS = [
  "projects/demo/data/raw.csv",
  "projects/demo/data/clean.csv",
  "projects/demo/data/features.csv",
  "projects/demo/data/parts/a.csv",
  "projects/demo/data/parts/sub/b.txt",
  "projects/demo/out/report.txt",
  "projects/demo/out/notes.txt",
];

export function teamFiles(): Record<string, string> {
  const project = PROJECT.replace('import { defineProject, file, json, source } from "sluice";', 'import { defineProject, dir, file, json, source } from "sluice";')
    .replace(/\n\}\);\n$/, `\n${PARTS_STAGE}`);
  if (!project.includes('p.stage("parts"')) throw new Error("the demo project changed shape; update tests/team/team-workspace.ts");
  return { ...demoFiles(), "projects/demo/pipeline.ts": project };
}

/** Path -> content of every output present in a workspace. */
export function outputs(ws: Workspace): Record<string, string> {
  return Object.fromEntries(TEAM_OUTPUTS.filter((p) => ws.exists(p)).map((p) => [p, ws.read(p)]));
}

/** Relative paths of every file under `dir` (empty when it does not exist). */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = readdirSync(join(dir, rel));
    } catch {
      return;
    }
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk("");
  return found.sort();
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}
