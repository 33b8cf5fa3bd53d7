import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

/**
 * A `source("folder")` dep is the folder as the stage reads it: a symlink
 * inside is read through, so its target's bytes are part of the folder's
 * digest, and a link the digest cannot follow (outside the workspace,
 * dangling) fails the stage rather than letting it read bytes no key
 * covers. In the shadow a folder dep is a real folder, so `{deps.x}/..`
 * does not lead back into the workspace.
 */

/** A whole-second time long past: a file stamped with it is never racy for the stat cache. */
const OLD = 1_577_836_800;

const ROOT = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`;

function workspace(stages: string, files: Record<string, string> = {}): Workspace {
  return new Workspace({
    "pipeline.ts": ROOT,
    "projects/p/corpus/a.txt": "a\n",
    "projects/p/other/x.txt": "AAAA\n",
    "projects/p/other/y.txt": "BBBB\n",
    "projects/p/data/input.txt": "one\ntwo\nthree\n",
    "projects/p/pipeline.ts": `import { defineProject, file, source } from "sluice";
export default defineProject("p", (p) => {
${stages}
});
`,
    ...files,
  });
}

const CORPUS = `  p.stage("corpus", { deps: { c: source("corpus") }, outs: { all: file("out/all.txt") }, cmd: 'echo run >> "$COUNTS/corpus"; cat {deps.c}/* > {outs.all}' });`;

let ws: Workspace | undefined;
let outside: string | undefined;
afterEach(() => {
  ws?.dispose();
  ws = undefined;
  if (outside) rmSync(outside, { recursive: true, force: true });
  outside = undefined;
});

function link(target: string, path: string): void {
  symlinkSync(target, join((ws as Workspace).root, path));
}

/** Writes over the start of a file in place (same inode and length) and puts its old mtime back. */
function rewriteKeepingMtime(path: string, text: string): void {
  const full = join((ws as Workspace).root, path);
  const fd = openSync(full, "r+");
  writeSync(fd, text, 0);
  closeSync(fd);
  utimesSync(full, OLD, OLD);
}

describe("symlinks inside a source folder", () => {
  it("reruns when a link is added, when its target is edited in place, and when it is pointed at another file", async () => {
    ws = workspace(CORPUS);
    for (const f of ["other/x.txt", "other/y.txt"]) utimesSync(join(ws.root, "projects/p", f), OLD, OLD);
    expect((await ws.runJson()).code).toBe(0);
    expect(ws.count("corpus")).toBe(1);

    link("../other/x.txt", "projects/p/corpus/x.txt");
    expect(statuses(await ws.runJson())).toEqual({ "p:corpus": "ran" });
    expect(ws.read("projects/p/out/all.txt")).toBe("a\nAAAA\n");
    expect(statuses(await ws.runJson())).toEqual({ "p:corpus": "cached" });

    // Same length, same mtime: only the target's ctime says it changed.
    rewriteKeepingMtime("projects/p/other/x.txt", "CCCC");
    expect(statuses(await ws.runJson())).toEqual({ "p:corpus": "ran" });
    expect(ws.read("projects/p/out/all.txt")).toBe("a\nCCCC\n");
    expect(statuses(await ws.runJson())).toEqual({ "p:corpus": "cached" });

    // Another target of the same length and mtime: only its inode differs.
    unlinkSync(join(ws.root, "projects/p/corpus/x.txt"));
    link("../other/y.txt", "projects/p/corpus/x.txt");
    expect(statuses(await ws.runJson())).toEqual({ "p:corpus": "ran" });
    expect(ws.read("projects/p/out/all.txt")).toBe("a\nBBBB\n");
    expect(ws.count("corpus")).toBe(4);
  });

  it("gives a folder holding a link the digest of the same folder holding a copy", async () => {
    ws = workspace(`  p.stage("linked", { deps: { c: source("corpus") }, outs: { o: file("out/l.txt") }, cmd: "cat {deps.c}/* > {outs.o}" });
  p.stage("copied", { deps: { c: source("copy") }, outs: { o: file("out/c.txt") }, cmd: "cat {deps.c}/* > {outs.o}" });`, {
      "projects/p/copy/a.txt": "a\n",
      "projects/p/copy/x.txt": "AAAA\n",
    });
    link("../other/x.txt", "projects/p/corpus/x.txt");
    expect((await ws.runJson()).code).toBe(0);
    const depDigest = async (id: string) => {
      const out = await (ws as Workspace).run(["explain", id, "--json"]);
      return (JSON.parse(out.stdout) as { components: { deps: { c: { digest: string } } } }).components.deps.c.digest;
    };
    const linked = await depDigest("p:linked");
    expect(linked).toMatch(/^[0-9a-f]{16}-\d+$/);
    expect(linked).toBe(await depDigest("p:copied"));
  });

  it("fails the stage, naming the folder, the link, its target and the fix, when a link leads outside the workspace", async () => {
    ws = workspace(CORPUS);
    expect((await ws.runJson()).code).toBe(0);
    outside = mkdtempSync(join(tmpdir(), "sluice-outside-"));
    writeFileSync(join(outside, "ext.txt"), "v1\n");
    link(join(outside, "ext.txt"), "projects/p/corpus/ext.txt");
    const run = await ws.runJson();
    expect(run.code).toBe(1);
    expect(run.stages[0]?.status).toBe("failed");
    expect(run.stages[0]?.reason).toBe(
      `unfollowable-link: input "c" (projects/p/corpus) holds the symlink projects/p/corpus/ext.txt -> ${join(outside, "ext.txt")}, which leads outside the workspace, where no digest covers it: copy the file into the folder, or move what it points to into the workspace and declare it as its own dep`,
    );
    // Editing the outside file changes nothing: still refused, never a hit on the old output.
    writeFileSync(join(outside, "ext.txt"), "v2\n");
    const again = await ws.runJson();
    expect(statuses(again)).toEqual({ "p:corpus": "failed" });
    expect(ws.count("corpus")).toBe(1);
  });

  it("fails the stage on a dangling link and on one leading back into the folder", async () => {
    ws = workspace(CORPUS);
    link("missing.txt", "projects/p/corpus/gone.txt");
    const dangling = await ws.runJson();
    expect(dangling.code).toBe(1);
    expect(dangling.stages[0]?.reason).toBe(
      'unfollowable-link: input "c" (projects/p/corpus) holds the symlink projects/p/corpus/gone.txt -> missing.txt, which points to nothing: remove the link, or point it at a file inside the workspace',
    );
    unlinkSync(join(ws.root, "projects/p/corpus/gone.txt"));
    link("..", "projects/p/corpus/up");
    const loop = await ws.runJson();
    expect(loop.code).toBe(1);
    expect(loop.stages[0]?.reason).toBe(
      'unfollowable-link: input "c" (projects/p/corpus) holds the symlink projects/p/corpus/up -> .., which leads back to a folder holding it: remove the link',
    );
    expect(ws.count("corpus")).toBe(0);
  });
});

describe("deps in the shadow", () => {
  const SNEAKY = `  p.stage("sneaky", { deps: { c: source("corpus") }, outs: { n: file("out/n.txt") }, cmd: "wc -l < {deps.c}/../data/input.txt > {outs.n}" });`;

  it("keeps {deps.x}/.. inside the shadow: an undeclared neighbour is missing, with or without --strict", async () => {
    ws = workspace(SNEAKY);
    for (const args of [[], ["--strict"]]) {
      const run = await ws.runJson(args);
      expect(run.code).toBe(1);
      expect(run.stages[0]?.reason).toMatch(/^exit-non-zero: /);
      expect(ws.exists("projects/p/out/n.txt")).toBe(false);
    }
    const out = await ws.run(["run", "p:sneaky"]);
    expect(out.stderr).toContain("corpus/../data/input.txt: No such file");
  });

  it("holds the folder's files, subfolders and linked files, and keeps a file written into it out of the workspace", async () => {
    ws = workspace(
      `  p.stage("list", { deps: { c: source("corpus") }, outs: { o: file("out/list.txt") }, cmd: "cat {deps.c}/a.txt {deps.c}/sub/b.txt {deps.c}/x.txt > {outs.o}; echo stray > {deps.c}/new.txt" });`,
      { "projects/p/corpus/sub/b.txt": "b\n" },
    );
    link("../other/x.txt", "projects/p/corpus/x.txt");
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(ws.read("projects/p/out/list.txt")).toBe("a\nb\nAAAA\n");
    expect((run.stages[0] as { warnings?: string[] }).warnings).toEqual([
      "wrote undeclared output projects/p/corpus/new.txt (declare it in outs, or it is lost)",
    ]);
    expect(ws.exists("projects/p/corpus/new.txt")).toBe(false);
  });

  it("reads a source file that is a relative symlink as the file it points to", async () => {
    ws = workspace(`  p.stage("via", { deps: { x: source("lnk/x.txt") }, outs: { o: file("out/v.txt") }, cmd: "cat {deps.x} > {outs.o}" });`, {
      "projects/p/lnk/keep": "",
    });
    link("../other/x.txt", "projects/p/lnk/x.txt");
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(ws.read("projects/p/out/v.txt")).toBe("AAAA\n");
  });
});
