/**
 * A developer who exported the README's SLUICE_REGISTRY, a remote cache or
 * a signing key must not have the suite's children use them: every helper
 * that starts the CLI hands it a clean SLUICE_* environment (cliEnv in
 * rig.ts), and only what a test sets reaches the child.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectWorkspace } from "./projects/project-workspace.js";
import { sluice } from "./registry/cli.js";
import { Workspace } from "./rig.js";

const BOGUS = {
  SLUICE_REGISTRY: "postgres://nobody@127.0.0.1:1/bogus",
  SLUICE_REMOTE_CACHE: "http://127.0.0.1:1/cache",
  SLUICE_CACHE_KEY: "a-developers-key",
} as const;

const PIPELINE = `import { defineProject, file } from "sluice";
export default defineProject("p", (p) => {
  p.stage("env", { outs: { seen: file("seen.txt") }, cmd: "env | grep '^SLUICE_' | cut -d= -f1 | sort > {outs.seen}" });
});
`;

describe("the environment of the CLI a test starts", () => {
  const saved = new Map<string, string | undefined>();
  let ws: Workspace;
  beforeAll(() => {
    for (const [name, value] of Object.entries(BOGUS)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    ws = new Workspace({ "pipeline.ts": PIPELINE });
  });
  afterAll(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    ws.dispose();
  });

  it("holds none of the SLUICE_* variables of the test process, but those the test sets", async () => {
    const run = await ws.run(["run"], { env: { SLUICE_ACTOR: "tester" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("remote cache");
    const seen = ws.read("seen.txt").split("\n").filter(Boolean);
    expect(seen).toContain("SLUICE_ACTOR");
    for (const name of Object.keys(BOGUS)) expect(seen).not.toContain(name);
  });

  it("reaches the file registry, not the exported PostgreSQL URL, through every helper", async () => {
    expect((await ws.run(["verify"])).code).toBe(0);
    expect((await sluice(ws.root, ["verify"])).code).toBe(0);
    const projects = new ProjectWorkspace([]);
    try {
      expect(projects.cli(["verify"]).code).toBe(0);
    } finally {
      projects.dispose();
    }
  });

  it("still gets a SLUICE_REGISTRY the test sets itself", async () => {
    const out = await ws.run(["verify"], { env: { SLUICE_REGISTRY: BOGUS.SLUICE_REGISTRY } });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`cannot use the registry at ${BOGUS.SLUICE_REGISTRY}: connection refused`);
  });
});
