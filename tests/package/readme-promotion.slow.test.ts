/**
 * SLOW (about 30-90 s, most of it `npm install`): the README's minimal
 * gated-promotion example, followed as a new user would. `npm pack` the
 * repository, install the tarball offline into an empty folder outside it
 * (`npm init`, `npm install --save-dev <tarball>`), write the files the
 * README shows under "Gated promotion in your own repository", and run its
 * commands: both gates pass -> the canary opens on demo_v1; a gate fails ->
 * demo_v2 is held (exit 3 with --fail-on-hold) and no alias moves.
 *
 * The files and commands are read from README.md itself, so the README
 * cannot drift from what works.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, REPO } from "../rig.js";
import { typeCheckApp } from "./type-check-app.js";

const SLOW = 240_000;
const SECTION = "### Gated promotion in your own repository";

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a shell command line with npm's own variables removed, so `npm test` settings do not leak into the user's npm. */
function sh(line: string, cwd: string, timeoutMs = 120_000): Promise<Ran> {
  const env = Object.fromEntries(Object.entries(cliEnv()).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", line], { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The README section's fenced blocks: files (` ```ts path `) and shell blocks (` ```sh `), in order. */
function readmeExample(): { files: Map<string, string>; shell: string[][] } {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const rest = readme.slice(start + SECTION.length);
  const section = rest.slice(0, rest.search(/\n#{1,3} /) >>> 0 || rest.length);
  const files = new Map<string, string>();
  const shell: string[][] = [];
  for (const block of section.matchAll(/^```(\w+)(?: (\S+))?\n([\s\S]*?)^```$/gm)) {
    const [, lang, path, body = ""] = block;
    if (lang === "sh") shell.push(body.split("\n").filter((line) => line.trim() !== ""));
    else if (path) files.set(path, body);
  }
  return { files, shell };
}

/** `npx sluice` as the README writes it, kept offline and local. */
const offline = (line: string): string => line.replaceAll("npx sluice", "npx --offline --no sluice");

describe("the README's gated promotion, from the packed tarball in an empty folder", { timeout: SLOW }, () => {
  const example = readmeExample();
  let base = "";
  let app = "";
  let tarball = "";

  beforeAll(async () => {
    if (!existsSync(join(REPO, "dist", "bundle", "cli.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
    base = mkdtempSync(join(tmpdir(), "sluice-readme-"));
    const pack = await sh(`npm pack --ignore-scripts --json --pack-destination ${JSON.stringify(base)}`, REPO);
    expect(pack.code, pack.stderr).toBe(0);
    tarball = join(base, (JSON.parse(pack.stdout) as { filename: string }[])[0]?.filename ?? "");
    app = join(base, "my-models");
    mkdirSync(app);
  }, SLOW);

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("shows the files and the commands of a two-gate, one-alias project", () => {
    expect([...example.files.keys()].sort()).toEqual([
      "contracts/promotion_policy.json",
      "pipeline.ts",
      "projects/demo/data.csv",
      "projects/demo/model.ts",
      "projects/demo/pipeline.ts",
    ]);
    expect(example.shell).toHaveLength(2);
  });

  it("installs with the README's commands, the package from the tarball and offline", async () => {
    const [setup = []] = example.shell;
    for (const line of setup) {
      // The README's tarball is this one; every dependency comes from the npm cache.
      const local = line.replace(/npm install --save-dev \/path\/to\/sluice-[\d.]+\.tgz.*$/, `npm install --save-dev --prefer-offline --no-audit --no-fund ${JSON.stringify(tarball)}`);
      if (line.startsWith("npm install")) expect(local, "the README's install line").not.toBe(line);
      const ran = await sh(local, app, 180_000);
      expect(ran.code, `${line}\n${ran.stderr}`).toBe(0);
    }
    expect(existsSync(join(app, "node_modules", "sluice", "dist", "bundle", "registry.js"))).toBe(true);
  });

  it("opens the canary when both gates pass, then holds a candidate whose gate fails and moves no alias", async () => {
    for (const [path, text] of example.files) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), text);
    }
    const [first, shrink, second, list] = example.shell[1] ?? [];
    expect(first).toMatch(/^npx sluice run\b/);

    const opened = await sh(offline(first ?? ""), app);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stderr).toMatch(/demo_v1: canary_open/);
    const canary = join(app, "registry", "demo", "canary.json");
    const canaryBefore = readFileSync(canary, "utf8");
    expect(JSON.parse(canaryBefore)).toMatchObject({ release: "demo_v1" });

    expect((await sh(shrink ?? "", app)).code).toBe(0);
    const held = await sh(offline(second ?? ""), app);
    expect(held.code, held.stderr).toBe(3);
    expect(held.stderr).toMatch(/demo_v2: hold:rows/);
    // Nothing moved: the canary file is byte for byte the same, and no production alias appeared.
    expect(readFileSync(canary, "utf8")).toBe(canaryBefore);
    expect(existsSync(join(app, "registry", "demo", "production.json"))).toBe(false);

    const shown = await sh(`${offline(list ?? "")} --json`, app);
    expect(shown.code, shown.stderr).toBe(0);
    const releases = (JSON.parse(shown.stdout) as { releases: { release: string; decision: string; failed: string[]; aliases: string[] }[] }).releases;
    expect(releases.map(({ release, decision, failed, aliases }) => ({ release, decision, failed, aliases }))).toEqual([
      { release: "demo_v1", decision: "canary_open", failed: [], aliases: ["canary"] },
      { release: "demo_v2", decision: "hold", failed: ["rows"], aliases: [] },
    ]);
  });

  it("type-checks against the package's exported types (sluice, sluice/contracts, sluice/registry)", async () => {
    const tsc = await typeCheckApp(app);
    expect(tsc.output).toBe("");
    expect(tsc.code).toBe(0);
  });
});
