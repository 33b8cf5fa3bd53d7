/**
 * The workspace as a whole, through the CLI: two clean-cache runs of the same
 * commit give byte-identical models, and a fresh clone's first run leaves
 * `git status` clean (the committed sluice.lock is what that run writes);
 * an edit of one project's feature code reruns that project from its
 * features down and nothing else; a wiped registry makes the promote
 * stages register again rather than replay.
 *
 * Both workspaces are git clones of HEAD: uncommitted edits are not in them.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProjectWorkspace, statusOf } from "./project-workspace.js";

const PROJECTS = ["eta", "ranking", "forecast", "vision"];

describe("the four projects together", () => {
  let first: ProjectWorkspace;
  let second: ProjectWorkspace;
  const modelDigests = (ws: ProjectWorkspace): Record<string, string> =>
    Object.fromEntries(
      PROJECTS.map((p) => [p, ws.cliJson<{ manifest: { model: { digest: string } } }>(["registry", "show", p, "@canary"]).manifest.model.digest]),
    );

  beforeAll(() => {
    first = new ProjectWorkspace("git-clone");
    second = new ProjectWorkspace("git-clone");
  });
  afterAll(() => {
    first.dispose();
    second.dispose();
  });

  test("two runs from clean caches give byte-identical model digests", () => {
    expect(first.run().ok).toBe(true);
    expect(second.run().ok).toBe(true);
    const digests = modelDigests(first);
    expect(modelDigests(second)).toEqual(digests);
    expect(new Set(Object.values(digests)).size).toBe(PROJECTS.length);
  }, 300_000); // two cold runs of the whole workspace, on a machine other work shares

  test("a fresh clone's first run leaves git status clean: sluice.lock and every tracked file as committed", () => {
    // `first` registered its releases at another time: the promotion outputs in both locks must still agree.
    expect(first.bytes("sluice.lock").equals(second.bytes("sluice.lock"))).toBe(true);
    expect(second.git(["diff", "--stat"])).toBe("");
    expect(second.git(["status", "--porcelain"])).toBe("");
  });

  test("editing ranking's feature code reruns ranking from features down and nothing in the other projects", () => {
    const file = join(first.root, "projects", "ranking", "build-ranking-features.ts");
    const code = readFileSync(file, "utf8");
    const edited = code.replace('log_reviews: Math.log1p(Number(l["reviews"]))', 'log_reviews: Math.log1p(Number(l["reviews"]) * 2)');
    expect(edited).not.toBe(code);
    writeFileSync(file, edited);
    const status = statusOf(first.run());
    const rerun = Object.entries(status).filter(([, s]) => s !== "cached").map(([id]) => id).sort();
    expect(rerun).toEqual(["ranking:evaluate", "ranking:features", "ranking:promote", "ranking:train", "ranking:validate"]);
  });

  test("after the registry is wiped, each promote stage registers again instead of replaying its cached decision", () => {
    rmSync(join(first.root, "registry"), { recursive: true });
    mkdirSync(join(first.root, "registry"));
    const run = first.run();
    const rerun = Object.entries(statusOf(run)).filter(([, s]) => s !== "cached").map(([id]) => id).sort();
    expect(rerun).toEqual(PROJECTS.map((p) => `${p}:promote`).sort());
    // Every project has its canary again: the releases were registered, not replayed into an empty registry.
    expect(Object.keys(modelDigests(first)).sort()).toEqual([...PROJECTS].sort());
  });
});
