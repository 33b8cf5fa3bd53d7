/**
 * A mistyped command, option, target, param or number gets one line naming
 * what was wrong and the nearest real name, exit 2, and nothing runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closestName } from "../../src/util/did-you-mean.js";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { BIN, cliEnv, Workspace } from "../rig.js";

describe("closestName", () => {
  it("finds a swapped pair of letters, a missing letter and another case", () => {
    expect(closestName("rnu", ["run", "runs", "status"])).toBe("run");
    expect(closestName("dryrun", ["dry-run", "jobs"])).toBe("dry-run");
    expect(closestName("STATUS", ["run", "status"])).toBe("status");
  });

  it("offers nothing for a word that is not a near miss", () => {
    expect(closestName("xyzzy", ["run", "status", "verify"])).toBeUndefined();
    expect(closestName("gc", ["run", "dag"])).toBeUndefined();
  });
});

describe("usage mistakes", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace(demoFiles());
  });
  afterAll(() => ws.dispose());

  /** Runs the CLI, expects exit 2, no stage run and exactly one stderr line; returns that line. */
  async function refused(...args: string[]): Promise<string> {
    const out = await ws.run(args);
    expect(out.code, out.stderr).toBe(2);
    expect(ws.count("ingest")).toBe(0);
    const lines = out.stderr.trim().split("\n");
    expect(lines, out.stderr).toHaveLength(1);
    return lines[0] as string;
  }

  it("names an unknown command and the nearest one, without the whole help", async () => {
    expect(await refused("rnu")).toBe('error: unknown command "rnu" (did you mean "run"?); `sluice --help` lists the commands');
    expect(await refused("xyzzy")).toBe('error: unknown command "xyzzy"; `sluice --help` lists the commands');
  });

  it("names an unknown option of the command and the nearest one", async () => {
    expect(await refused("run", "--dryrun")).toBe(
      'error: unknown option --dryrun for "sluice run" (did you mean --dry-run?); `sluice run --help` lists the options',
    );
  });

  it("names an unknown subcommand with the nearest one, and a subcommand's unknown option once, under its whole name", async () => {
    expect(await refused("metrics", "shw")).toBe('error: unknown subcommand "shw" for "sluice metrics" (did you mean "show"?); `sluice metrics --help` lists them');
    expect(await refused("exp", "run", "--dry-run")).toBe('error: unknown option --dry-run for "sluice exp run"; `sluice exp run --help` lists the options');
  });

  it("names a negated option as it was typed, and takes --no-color", async () => {
    expect(await refused("run", "--no-colour")).toBe(
      'error: unknown option --no-colour for "sluice run" (did you mean --no-color?); `sluice run --help` lists the options',
    );
    const plain = await ws.run(["status", "--no-color"]);
    expect(plain.code, plain.stderr).toBe(0);
  });

  it("suggests the stage a misspelt target meant", async () => {
    expect(await refused("run", "demo:claen")).toBe('error: unknown target "demo:claen" (did you mean "demo:clean"?)');
    expect(await refused("run", "featurse")).toBe('error: unknown target "featurse" (did you mean "demo:features"?)');
  });

  it("suggests the param and the stage a misspelt --set meant", async () => {
    expect(await refused("run", "--set", "demo:clean.minValeu=3")).toContain('stage demo:clean has no param "minValeu" (did you mean "minValue"?)');
    expect(await refused("run", "--set", "demo:claen.minValue=3")).toContain('no stage "demo:claen" (did you mean "demo:clean"?)');
  });

  it("says an option given without its value needs one, instead of ignoring it", async () => {
    expect(await refused("run", "--set")).toBe("error: --set needs a value; `sluice run --help` shows its form");
    expect(await refused("run", "--set", "--dry-run")).toBe("error: --set needs a value; `sluice run --help` shows its form");
  });

  it("quotes what was typed for a number option instead of NaN", async () => {
    expect(await refused("run", "--jobs", "abc")).toBe('error: --jobs expects a number (got "abc")');
    expect(await refused("run", "-j=many")).toBe('error: --jobs expects a number (got "many")');
  });

  it("says a -C folder does not exist rather than that it holds no workspace", async () => {
    expect(await refused("-C", "/nonexistent/folder", "status")).toBe("error: -C /nonexistent/folder: no such directory");
  });

  it("names the choices of an option or argument that has only a few, with the nearest, in one line", async () => {
    expect(await refused("dag", "--format", "mermaidd")).toBe('error: --format cannot be "mermaidd": it is one of mermaid, dot, json (did you mean "mermaid"?)');
    expect(await refused("dag", "--format=png")).toBe('error: --format cannot be "png": it is one of mermaid, dot, json');
    expect(await refused("server", "statu")).toBe('error: action cannot be "statu": it is one of start, stop, status (did you mean "status"?)');
  });

  it("takes a -C folder written against the option, dots included", async () => {
    // From a folder outside the workspace: only -C can find it.
    const outside = mkdtempSync(join(tmpdir(), "sluice-outside-"));
    try {
      const cases: [folder: string, cwd: string][] = [[ws.root, outside], [".", ws.root], ["..", join(ws.root, "projects")]];
      for (const [folder, cwd] of cases) {
        const out = spawnSync(process.execPath, [BIN, `-C${folder}`, "status", "--json"], { cwd, env: cliEnv(), encoding: "utf8" });
        expect(out.status, `-C${folder}: ${out.stderr}`).toBe(0);
        expect((JSON.parse(out.stdout) as { stages: unknown[] }).stages.length).toBeGreaterThan(0);
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe("usage mistakes under --json", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace(demoFiles());
  });
  afterAll(() => ws.dispose());

  interface ErrorDocument {
    ok: boolean;
    error: { kind: string; message: string; problems: { message: string; reason?: string; stage?: string; file?: string; line?: number }[] };
  }

  /** Runs the CLI, expects exit 2 and one JSON error document on stdout (the message still on stderr). */
  async function refusedAsJson(...args: string[]): Promise<ErrorDocument> {
    const out = await ws.run(args);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain("error");
    const document = JSON.parse(out.stdout) as ErrorDocument;
    expect(document).toMatchObject({ ok: false, error: { kind: "usage" } });
    return document;
  }

  it("prints one error document for a misspelt target, option or number, as scripts reading stdout expect", async () => {
    const target = await refusedAsJson("run", "--json", "demo:claen");
    expect(target.error.message).toBe('unknown target "demo:claen" (did you mean "demo:clean"?)');
    expect(target.error.problems[0]?.reason).toBe("unknown-target");
    const option = await refusedAsJson("run", "--json", "--dryrun");
    expect(option.error.message).toContain("unknown option --dryrun");
    const number = await refusedAsJson("run", "--json", "--jobs", "abc");
    expect(number.error.message).toBe('--jobs expects a number (got "abc")');
    expect(ws.count("ingest")).toBe(0);
  });

  it("names the file, line and stage of a definition error", async () => {
    ws.edit("projects/demo/pipeline.ts", 'params: { tag: "v1" },', 'parms: { tag: "v1" },');
    try {
      const document = await refusedAsJson("status", "--json");
      const problem = document.error.problems.find((p) => p.reason === "unknown-key");
      expect(problem, JSON.stringify(document)).toMatchObject({ stage: expect.stringMatching(/^demo:/), file: expect.stringMatching(/projects\/demo\/pipeline\.ts$/), line: expect.any(Number) });
      // The message as stderr shows it, relative to where sluice ran; `file` is absolute.
      expect(problem?.message).toMatch(/^projects\/demo\/pipeline\.ts:\d+: unknown key "parms"/);
    } finally {
      ws.edit("projects/demo/pipeline.ts", 'parms: { tag: "v1" },', 'params: { tag: "v1" },');
    }
  });

  it("prints nothing on stdout without --json", async () => {
    const out = await ws.run(["run", "demo:claen"]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
  });
});

describe("a workspace that declares no stage yet", () => {
  it("runs nothing and says so, exit 0, instead of calling `all` unknown", async () => {
    const ws = new Workspace({ "pipeline.ts": 'import { defineWorkspace } from "sluice";\nexport default defineWorkspace({ projects: [] });\n' });
    try {
      const run = await ws.run(["run"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain("nothing to do");
      const status = await ws.run(["status"]);
      expect(status.code).toBe(0);
      expect(status.stdout).toBe("the workspace declares no stages yet: pipeline.ts lists no project that has one\n");
    } finally {
      ws.dispose();
    }
  });
});

describe("a workspace without its own sluice", () => {
  it("says the package is missing and how to install it, exit 2", () => {
    const folder = mkdtempSync(join(tmpdir(), "sluice-no-package-"));
    try {
      writeFileSync(join(folder, "package.json"), '{ "name": "mine", "type": "module" }\n');
      writeFileSync(join(folder, "pipeline.ts"), 'import { defineWorkspace } from "sluice";\nexport default defineWorkspace({ projects: [] });\n');
      const out = spawnSync(process.execPath, [BIN, "run"], { cwd: folder, env: cliEnv(), encoding: "utf8" });
      expect(out.status).toBe(2);
      expect(out.stderr).toContain(
        "error: cannot load pipeline.ts:1: Cannot find package 'sluice' imported from pipeline.ts (the workspace has no sluice of its own: install it with `npm install --save-dev <path to a sluice checkout or the .tgz its npm pack makes>`)",
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
