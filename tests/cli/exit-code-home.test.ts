import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../rig.js";

/** Every TypeScript file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("the exit code", () => {
  it("is set in one place only, cli/exit-code.ts, from an operation's failure kind", () => {
    const writers = sources(join(REPO, "src"))
      .filter((file) => /process\.exitCode\s*=(?!=)/.test(readFileSync(file, "utf8")))
      .map((file) => relative(REPO, file).split("\\").join("/"));
    expect(writers).toEqual(["src/cli/exit-code.ts"]);
  });
});
