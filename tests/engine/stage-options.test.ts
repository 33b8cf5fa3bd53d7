/**
 * The stage options a DVC pipeline brings along: persisted outputs,
 * outputs kept out of the cache, frozen stages, a command's working folder,
 * and data fetched from a URL pinned by digest (served here by a real HTTP
 * server on localhost).
 */
import { readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeWith, NGINX } from "../requirements.js";
import { statuses, Workspace } from "../rig.js";
import { filesUnder, sha256File } from "../team/team-workspace.js";
import { Nginx } from "../team/nginx.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

const ROOT = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/p"] });
`;

function project(stages: string, files: Record<string, string> = {}): Record<string, string> {
  return {
    "pipeline.ts": ROOT,
    "projects/p/pipeline.ts": `import { defineProject, dir, file, source, url } from "sluice";
export default defineProject("p", (p) => {
${stages}
});
`,
    ...files,
  };
}

/** Every object file name in the workspace's store. */
function storedObjects(root: string): string[] {
  const dir = join(root, "cache", "objects");
  return readdirSync(dir, { withFileTypes: true }).flatMap((shard) => (shard.isDirectory() ? readdirSync(join(dir, shard.name)) : []));
}

function lockedDigest(root: Workspace, id: string, path: string): string {
  const lock = JSON.parse(root.read("sluice.lock")) as { stages: Record<string, { outs: { path: string; digest: string }[] }> };
  return lock.stages[id]?.outs.find((o) => o.path === path)?.digest ?? "";
}

describe("persist", () => {
  const stage = (n: number, fail = false) => `  p.stage("train", {
    params: { n: ${n} },
    outs: { log: file("log.txt", { persist: true }) },
    cmd: "echo run {params.n} >> {outs.log}${fail ? "; exit 1" : ""}",
  });`;

  it("hands the stage its previous output to resume from, and a failed run leaves that copy in place", async () => {
    ws = new Workspace(project(stage(1)));
    expect((await ws.runJson()).code).toBe(0);
    ws.write("projects/p/pipeline.ts", project(stage(2))["projects/p/pipeline.ts"] as string);
    expect(statuses(await ws.runJson())).toEqual({ "p:train": "ran" });
    expect(ws.read("projects/p/log.txt")).toBe("run 1\nrun 2\n");
    ws.write("projects/p/pipeline.ts", project(stage(3, true))["projects/p/pipeline.ts"] as string);
    expect((await ws.runJson()).code).toBe(1);
    expect(ws.read("projects/p/log.txt")).toBe("run 1\nrun 2\n");
  });

  it("is part of the key: declaring an output persisted reruns its stage", async () => {
    const plain = `  p.stage("train", { outs: { log: file("log.txt") }, cmd: "echo run >> {outs.log}" });`;
    ws = new Workspace(project(plain));
    expect((await ws.runJson()).code).toBe(0);
    ws.write("projects/p/pipeline.ts", project(plain.replace('file("log.txt")', 'file("log.txt", { persist: true })'))["projects/p/pipeline.ts"] as string);
    expect(statuses(await ws.runJson())).toEqual({ "p:train": "ran" });
    expect(ws.read("projects/p/log.txt")).toBe("run\nrun\n");
  });
});

describe("cache: false", () => {
  const stages = `  const big = p.stage("big", { outs: { data: file("big.txt", { cache: false }), small: file("small.txt") }, cmd: "echo bulk > {outs.data}; echo s > {outs.small}" });
  p.stage("use", { deps: { data: big.outs.data }, outs: { n: file("n.txt") }, cmd: "wc -c < {deps.data} > {outs.n}" });`;

  it("records the output's digest but keeps its bytes out of the store; gone from the workspace, its stage runs again", async () => {
    ws = new Workspace(project(stages));
    expect((await ws.runJson()).code).toBe(0);
    const objects = storedObjects(ws.root);
    expect(objects).not.toContain(lockedDigest(ws, "p:big", "projects/p/big.txt"));
    expect(objects).toContain(lockedDigest(ws, "p:big", "projects/p/small.txt"));
    expect(statuses(await ws.runJson())).toEqual({ "p:big": "cached", "p:use": "cached" });

    rmSync(join(ws.root, "projects/p/big.txt"));
    const status = await ws.run(["status", "--json"]);
    expect(status.stdout).toContain("not kept in the cache (cache: false)");
    const rerun = await ws.runJson();
    expect(statuses(rerun)).toEqual({ "p:big": "ran", "p:use": "cached" });
    expect(rerun.stderr).toContain("is not kept in the cache (cache: false)");
    expect(ws.read("projects/p/big.txt")).toBe("bulk\n");
    expect(await ws.run(["verify"])).toMatchObject({ code: 0 });
  });

  it("keeps the output's only copy when a later run of its stage fails", async () => {
    const failing = `  p.stage("big", { params: { fail: false }, outs: { data: file("big.txt", { cache: false }), small: file("small.txt") }, cmd: "echo bulk > {outs.data}; echo s > {outs.small}; test {params.fail} = false" });`;
    ws = new Workspace(project(failing));
    expect((await ws.runJson()).code).toBe(0);
    const failed = await ws.runJson(["--set", "p:big.fail=true"]);
    expect(failed.code).toBe(1);
    expect(ws.read("projects/p/big.txt")).toBe("bulk\n"); // never in the cache: deleting it would lose it
    expect(ws.exists("projects/p/small.txt")).toBe(false); // cached: removed, and restorable
    expect(statuses(await ws.runJson())).toEqual({ "p:big": "restored" });
  });
});

describeWith(NGINX, "cache: false with a remote cache (real nginx)", () => {
  let nginx: Nginx;
  const others: Workspace[] = [];
  beforeAll(async () => {
    nginx = await Nginx.start();
  });
  afterAll(async () => {
    for (const other of others) other.dispose();
    await nginx?.dispose();
  });

  it("never uploads the output's bytes: a teammate's clone runs that stage and restores the rest", async () => {
    const stages = `  const big = p.stage("big", { outs: { data: file("big.txt", { cache: false }) }, cmd: "echo bulk > {outs.data}" });
  p.stage("use", { deps: { data: big.outs.data }, outs: { n: file("n.txt") }, cmd: "wc -c < {deps.data} > {outs.n}" });`;
    ws = new Workspace(project(stages));
    expect((await ws.runJson(["--remote-cache", nginx.url("uncached")])).code).toBe(0);
    const uploaded = filesUnder(join(nginx.root, "uncached", "cas"));
    expect(uploaded).toContain(sha256File(join(ws.root, "projects/p/n.txt")));
    expect(uploaded).not.toContain(sha256File(join(ws.root, "projects/p/big.txt")));

    const teammate = new Workspace(project(stages));
    others.push(teammate);
    const run = await teammate.runJson(["--remote-cache", nginx.url("uncached")]);
    expect(run.code, run.stderr).toBe(0);
    expect(statuses(run)).toEqual({ "p:big": "ran", "p:use": "restored" });
    expect(teammate.read("projects/p/n.txt")).toBe(ws.read("projects/p/n.txt"));
  });
});

describe("frozen", () => {
  const stages = (frozen: boolean, value: string) => `  const fetch = p.stage("fetch", {${frozen ? " frozen: true," : ""} params: { v: "${value}" }, outs: { raw: file("raw.txt") }, cmd: "echo {params.v} > {outs.raw}" });
  p.stage("prepare", { deps: { raw: fetch.outs.raw }, outs: { clean: file("clean.txt") }, cmd: "tr a-z A-Z < {deps.raw} > {outs.clean}" });`;

  it("never runs: downstream reads its outputs as they are, or as sluice.lock records them when they are gone", async () => {
    ws = new Workspace(project(stages(false, "one")));
    expect((await ws.runJson()).code).toBe(0);
    const lock = ws.read("sluice.lock");
    ws.write("projects/p/pipeline.ts", project(stages(true, "two"))["projects/p/pipeline.ts"] as string);
    const frozen = await ws.runJson();
    expect(statuses(frozen)).toEqual({ "p:fetch": "cached", "p:prepare": "cached" });
    expect(frozen.stages.find((s) => s.id === "p:fetch")?.why).toEqual(["frozen"]);
    expect(ws.read("sluice.lock")).toBe(lock);

    rmSync(join(ws.root, "projects/p/raw.txt"));
    const restored = await ws.runJson();
    expect(statuses(restored)).toEqual({ "p:fetch": "restored", "p:prepare": "cached" });
    expect(ws.read("projects/p/raw.txt")).toBe("one\n");

    ws.edit("projects/p/raw.txt", "one", "edited by hand");
    expect(statuses(await ws.runJson())).toEqual({ "p:fetch": "cached", "p:prepare": "ran" });
    expect(ws.read("projects/p/clean.txt")).toBe("EDITED BY HAND\n");
  });

  it("fails with the fix when there is nothing to stand on", async () => {
    ws = new Workspace(project(stages(true, "one")));
    const run = await ws.runJson();
    expect(run.code).toBe(1);
    expect(statuses(run)).toEqual({ "p:fetch": "failed", "p:prepare": "skipped" });
    expect(run.stderr).toContain("unfreeze it (remove frozen: true)");
  });
});

describe("alwaysRun", () => {
  it("runs every time though nothing changed, and cannot also be frozen", async () => {
    const stage = (extra: string) => `  p.stage("stamp", {${extra} outs: { log: file("log.txt", { persist: true }) }, cmd: "echo run >> {outs.log}" });`;
    ws = new Workspace(project(stage(" alwaysRun: true,")));
    expect((await ws.runJson()).code).toBe(0);
    expect(statuses(await ws.runJson())).toEqual({ "p:stamp": "ran" });
    expect(ws.read("projects/p/log.txt")).toBe("run\nrun\n");
    ws.write("projects/p/pipeline.ts", project(stage(" alwaysRun: true, frozen: true,"))["projects/p/pipeline.ts"] as string);
    const both = await ws.run(["run"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("is both frozen (never runs) and alwaysRun (always runs); choose one");
  });
});

describe("wdir", () => {
  it("runs a command in another folder of the project, its placeholders relative to it, and is part of the key", async () => {
    const stage = (wdir: string) => `  p.stage("copy", { wdir: "${wdir}", deps: { input: source("scripts/in.txt") }, outs: { copy: file("out/copy.txt") }, cmd: "echo {deps.input} > {outs.copy}; cat {deps.input} >> {outs.copy}; basename \\"$PWD\\" >> {outs.copy}" });`;
    ws = new Workspace(project(stage("scripts"), { "projects/p/scripts/in.txt": "hello\n" }));
    expect((await ws.runJson()).code).toBe(0);
    expect(ws.read("projects/p/out/copy.txt")).toBe("in.txt\nhello\nscripts\n");
    ws.write("projects/p/pipeline.ts", project(stage("out"))["projects/p/pipeline.ts"] as string);
    expect(statuses(await ws.runJson())).toEqual({ "p:copy": "ran" });
    expect(ws.read("projects/p/out/copy.txt")).toBe("../scripts/in.txt\nhello\nout\n");
  });

  it("is a definition error on a run stage or outside the workspace", async () => {
    ws = new Workspace(project(`  p.stage("a", { wdir: "../../..", outs: { o: file("o.txt") }, cmd: "true" });
  p.stage("b", { wdir: "x", outs: { o: file("b.txt") }, run: () => undefined });`));
    const run = await ws.run(["run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('wdir "../../.." must be a folder inside the workspace');
    expect(run.stderr).toContain("wdir applies to cmd stages only");
  });
});

describe("url deps", () => {
  let server: Server;
  let base = "";
  const served: Record<string, string> = { "/data.csv": "a,b\n1,2\n" };
  let requests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests++;
      const body = served[request.url ?? ""];
      if (body === undefined) return void response.writeHead(404).end();
      response.writeHead(200, { "content-type": "text/csv" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const stage = (digest: string | undefined, n = 1) => `  p.stage("count", {
    params: { n: ${n} },
    deps: { data: url("${base}/data.csv", { ${digest === undefined ? "" : `digest: "${digest}", `}path: "data/data.csv" }) },
    outs: { lines: file("lines.txt") },
    cmd: "wc -l < {deps.data} > {outs.lines}",
  });`;

  it("pins by digest: pin downloads once, runs use the cached bytes, and a source that changed is refused", async () => {
    served["/data.csv"] = "a,b\n1,2\n";
    ws = new Workspace(project(stage(undefined)));
    const unpinned = await ws.run(["run"]);
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toContain(`sluice pin ${base}/data.csv`);

    const before = requests;
    const pin = await ws.run(["pin", `${base}/data.csv`, "--json"]);
    expect(pin.code, pin.stderr).toBe(0);
    const { digest } = JSON.parse(pin.stdout) as { digest: string };
    expect(requests - before).toBe(1);

    ws.write("projects/p/pipeline.ts", project(stage(digest))["projects/p/pipeline.ts"] as string);
    expect(statuses(await ws.runJson())).toEqual({ "p:count": "ran" });
    expect(ws.read("projects/p/data/data.csv")).toBe("a,b\n1,2\n");
    expect(ws.read("projects/p/lines.txt").trim()).toBe("2");
    expect(requests - before).toBe(1); // the run found the pinned bytes in the cache

    // gc keeps the fetched bytes of a kept record: a rerun that needs the file again finds them.
    expect((await ws.run(["gc", "--keep", "0"])).code).toBe(0);
    rmSync(join(ws.root, "projects/p/data"), { recursive: true });
    ws.write("projects/p/pipeline.ts", project(stage(digest, 3))["projects/p/pipeline.ts"] as string);
    expect(statuses(await ws.runJson())).toEqual({ "p:count": "ran" });
    expect(requests - before).toBe(1);

    // The source changes: a run that needs the file again downloads, and refuses what no longer matches the pin.
    served["/data.csv"] = "a,b\n9,9\n"; // as long as the pinned bytes, so the fetch completes and its digest is known
    rmSync(join(ws.root, "cache", "objects"), { recursive: true });
    rmSync(join(ws.root, "projects/p/data"), { recursive: true });
    ws.write("projects/p/pipeline.ts", project(stage(digest, 2))["projects/p/pipeline.ts"] as string);
    const changed = await ws.runJson();
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain("now serves other bytes");
    // The fix names the digest of what is served now, in the words every pin message uses.
    expect(changed.stderr).toMatch(/if the new data is intended, pin it with digest "[0-9a-f]{16}-8" in its url\(\.\.\.\) \(what `sluice pin http:\/\/\S+\/data\.csv` prints\)/);
    expect(ws.exists("projects/p/data/data.csv")).toBe(false);
    expect(ws.read("projects/p/lines.txt").trim()).toBe("2");
  });

  it("refuses a download longer than the pin says", async () => {
    served["/data.csv"] = "x".repeat(5000);
    ws = new Workspace(project(stage("0123456789abcdef-10")));
    const run = await ws.runJson();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("now serves other bytes than the pinned 0123456789abcdef-10 (more than its 10 bytes); if the new data is intended, pin it with the digest `sluice pin");
    expect(ws.exists("projects/p/data/data.csv")).toBe(false);
  });
});
