/**
 * Where a workspace starts: the nearest folder at or above `from` holding
 * both `pipeline.ts` and `package.json` (project folders hold only the
 * former). Its own module so the server client finds the root without
 * loading the pipeline code.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const PIPELINE_FILE = "pipeline.ts";

export function findWorkspaceRoot(from: string): string | undefined {
  let current = resolve(from);
  for (;;) {
    if (existsSync(join(current, PIPELINE_FILE)) && existsSync(join(current, "package.json"))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
