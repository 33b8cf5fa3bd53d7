/**
 * Runs the type tests of this folder (`*.types.ts`) through the compiler:
 * inference a pipeline author relies on (deps typed by their contract, a
 * run function typed by its declaration) and mistakes that must stay
 * compile errors (`@ts-expect-error` fails when its line compiles).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REPO, Workspace } from "../rig.js";

test("the type tests compile: declarations infer their stage contexts and reject unknown keys", () => {
  const tsc = spawnSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", join(REPO, "tests", "types")], {
    cwd: REPO,
    encoding: "utf8",
  });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
}, 120_000);

test("renaming a dep in pipeline.ts fails to compile in the runFrom stage module that reads it", () => {
  const pristine = new Workspace(lazyProjectFiles());
  const renamed = new Workspace(lazyProjectFiles());
  try {
    renamed.edit("pipeline.ts", "deps: { stats: raw.outs.stats, table", "deps: { counts: raw.outs.stats, table");
    expect(typeCheck(pristine.root)).toEqual({ status: 0, output: "" });
    const failed = typeCheck(renamed.root);
    expect(failed.status).not.toBe(0);
    expect(failed.output).toContain("fit.ts(7,");
    expect(failed.output).toMatch(/Property 'stats' does not exist on type '\{ readonly counts: \{ rows: number; \}; readonly table: string; \}'/);
  } finally {
    pristine.dispose();
    renamed.dispose();
  }
}, 120_000);

/** The files of tests/types/lazy-project, by name. */
function lazyProjectFiles(): Record<string, string> {
  const dir = join(REPO, "tests", "types", "lazy-project");
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

/** `tsc` over a folder's TypeScript files with the repository's compiler options. */
function typeCheck(root: string): { status: number | null; output: string } {
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({ extends: join(REPO, "tsconfig.json"), compilerOptions: { typeRoots: [join(REPO, "node_modules", "@types")] }, include: ["./*.ts"] }),
  );
  const tsc = spawnSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", root], { cwd: root, encoding: "utf8" });
  return { status: tsc.status, output: tsc.stdout + tsc.stderr };
}
