/**
 * SLOW (about 30-60 s, most of it `npm install`): sluice in someone else's
 * repository. `npm pack` the repo, install the tarball into an empty temp
 * folder with no network (`--offline`: every dependency comes from the npm
 * cache), then `npx sluice init`, run, edit, rerun, exactly as a new user
 * would, and type-check the scaffold against the package's typed exports.
 *
 * It packs the dist/ built by `npm run build` (the `pretest` script), with
 * `--ignore-scripts` so the test does not rebuild it a second time.
 */
import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, REPO } from "../rig.js";
import { typeCheckApp } from "./type-check-app.js";

const SLOW = 240_000;

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with npm's own variables removed, so `npm test` settings do not leak into the user's npm (and no SLUICE_* one: see cliEnv). */
function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  const env = Object.fromEntries(Object.entries(cliEnv()).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function statusOf(out: Ran): Record<string, string> {
  try {
    return Object.fromEntries((JSON.parse(out.stdout) as { stages: { id: string; status: string }[] }).stages.map((s) => [s.id, s.status]));
  } catch {
    throw new Error(`not a --json document (exit ${out.code}):\n${out.stdout}\n--- stderr ---\n${out.stderr}`);
  }
}

describe("sluice as an installed package", { timeout: SLOW }, () => {
  let base = "";
  let app = "";
  let tarball = "";
  let packed: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(REPO, "dist", "bundle", "cli.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
    base = mkdtempSync(join(tmpdir(), "sluice-pack-"));
    const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", base], REPO);
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(base, info?.filename ?? "");
    packed = (info?.files ?? []).map((f) => f.path);
    app = join(base, "my-repo");
    mkdirSync(app);
    // Tarballs come from the cache `npm ci` filled; a fresh machine's cache
    // lacks the registry metadata that resolving version ranges needs, which
    // --prefer-offline fetches (--offline failed there with ENOTCACHED).
    const install = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], app, 180_000);
    expect(install.code, install.stderr).toBe(0);
  }, SLOW);

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("packs the bundled CLI and the typed API, and none of the repository's tests, cache, projects or source maps", () => {
    for (const path of ["package.json", "bin/sluice.js", "dist/bundle/cli.js", "dist/bundle/index.js", "dist/src/index.d.ts"]) {
      expect(packed, path).toContain(path);
    }
    const stray = packed.filter((p) => /^(tests|cache|projects|stages|bench|registry|src)\//.test(p));
    expect(stray).toEqual([]);
    // Maps point at sources the package does not ship; the unbundled modules duplicate the bundle.
    expect(packed.filter((p) => p.endsWith(".map"))).toEqual([]);
    expect(packed.filter((p) => p.startsWith("dist/src/") && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("installs lean: only what the tool imports, under 40 MB of node_modules", () => {
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    // The example projects' ML libraries are the repository's, not the tool's.
    expect(Object.keys(manifest.dependencies).filter((name) => /tensorflow|ml-matrix/.test(name))).toEqual([]);
    const bytes = diskBytes(join(app, "node_modules"));
    expect(bytes / 2 ** 20, `node_modules holds ${(bytes / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(40);
  });

  it("prints its own version from any folder, not the host package's", async () => {
    const own = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
    writeFileSync(join(app, "package.json"), JSON.stringify({ ...JSON.parse(readFileSync(join(app, "package.json"), "utf8")), version: "9.9.9" }));
    const sluice = join(app, "node_modules", ".bin", "sluice");
    const inApp = await run(sluice, ["--version"], app);
    expect(inApp.stdout.trim()).toBe(own);
    const elsewhere = mkdtempSync(join(base, "elsewhere-"));
    const outside = await run(sluice, ["--version"], elsewhere);
    expect(outside.stdout.trim()).toBe(own);
  });

  it("scaffolds with init, runs, caches, and reruns exactly the edited stage, all offline", async () => {
    const sluice = (...args: string[]) => run("npx", ["--offline", "--no", "sluice", ...args], app);
    const init = await sluice("init");
    expect(init.code, init.stderr).toBe(0);
    for (const path of ["pipeline.ts", "projects/my-repo/pipeline.ts", "projects/my-repo/count-words.ts", "projects/my-repo/data/input.txt", ".gitignore", "registry"]) {
      expect(existsSync(join(app, path)), path).toBe(true);
    }
    expect(readFileSync(join(app, ".gitignore"), "utf8").split("\n")).toEqual(expect.arrayContaining(["node_modules/", "/cache/", "/report/", "/projects/my-repo/out/"]));

    const first = await sluice("run", "--json");
    expect(first.code, first.stderr).toBe(0);
    expect(statusOf(first)).toEqual({ "my-repo:words": "ran", "my-repo:counts": "ran" });
    expect(readFileSync(join(app, "projects", "my-repo", "out", "counts.txt"), "utf8")).toMatch(/^\d+ \w+\n/);

    const second = await sluice("run", "--json");
    expect(statusOf(second)).toEqual({ "my-repo:words": "cached", "my-repo:counts": "cached" });

    // Editing the run stage's own module reruns that stage and nothing else.
    const module = join(app, "projects", "my-repo", "count-words.ts");
    writeFileSync(module, readFileSync(module, "utf8").replace('.join("\\n") + "\\n"', '.join("\\n") + "\\n# top words\\n"'));
    const third = await sluice("run", "--json");
    expect(third.code, third.stderr).toBe(0);
    expect(statusOf(third)).toEqual({ "my-repo:words": "cached", "my-repo:counts": "ran" });
    expect(readFileSync(join(app, "projects", "my-repo", "out", "counts.txt"), "utf8")).toContain("# top words");

    const again = await sluice("init");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("would overwrite pipeline.ts, projects/my-repo/pipeline.ts, projects/my-repo/count-words.ts, projects/my-repo/data/input.txt, registry/.gitkeep");
  });

  it("type-checks the scaffold against the package's exported types", async () => {
    const tsc = await typeCheckApp(app);
    expect(tsc.output).toBe("");
    expect(tsc.code).toBe(0);
  });
});

/** Bytes a folder takes on disk, links not followed. */
function diskBytes(path: string): number {
  const info = lstatSync(path);
  if (!info.isDirectory()) return info.size;
  return readdirSync(path).reduce((sum, name) => sum + diskBytes(join(path, name)), 0);
}
