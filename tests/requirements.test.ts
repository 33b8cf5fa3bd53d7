/**
 * The rule of requirements.ts, end to end: the graduate tests run by a
 * nested vitest whose PATH holds no python3. With CI set they must fail the
 * run, naming what to install; without it they are skipped, loudly.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "./rig.js";

const VITEST = join(REPO, "node_modules", "vitest", "vitest.mjs");
// A PATH with node (vitest starts its workers with it) and nothing else.
const bin = mkdtempSync(join(tmpdir(), "sluice-no-python-"));
symlinkSync(process.execPath, join(bin, "node"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function vitestWithoutPython(ci: string | undefined): Promise<{ code: number | null; output: string }> {
  // The nested run must not think it is a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && name !== "CI"));
  const child = spawn(process.execPath, [VITEST, "run", "tests/graduate/graduate-notebook.test.ts"], {
    cwd: REPO,
    env: { ...env, PATH: bin, ...(ci === undefined ? {} : { CI: ci }), NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

describe("a program some tests need is missing", () => {
  it("fails the run under CI=true, saying what to install", async () => {
    expect(dirname(process.execPath)).not.toBe(bin);
    const { code, output } = await vitestWithoutPython("true");
    expect(code, output).toBe(1);
    expect(output).toContain("python3 is not installed and CI is set, so these tests cannot be skipped: install it (apt-get install -y python3)");
    expect(output).toMatch(/1 failed/);
  });

  it("skips the tests that need it outside CI, with a warning", async () => {
    const { code, output } = await vitestWithoutPython(undefined);
    expect(code, output).toBe(0);
    expect(output).toContain('python3 not found: SKIPPING "the generated scripts"');
    expect(output).toMatch(/1 skipped/);
  });
});
