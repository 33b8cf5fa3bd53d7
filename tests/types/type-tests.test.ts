/**
 * Runs the type tests of this folder (`*.types.ts`) through the compiler:
 * inference a pipeline author relies on (deps typed by their contract, a
 * run function typed by its declaration) and mistakes that must stay
 * compile errors (`@ts-expect-error` fails when its line compiles).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REPO } from "../rig.js";

test("the type tests compile: declarations infer their stage contexts and reject unknown keys", () => {
  const tsc = spawnSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", join(REPO, "tests", "types")], {
    cwd: REPO,
    encoding: "utf8",
  });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
}, 120_000);
