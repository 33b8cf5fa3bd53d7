import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestBytes } from "../../src/cache/index.js";
import { sha256 } from "../../src/cache/remote/index.js";
import { withStatus, Workspace } from "../rig.js";
import { describeWith, NGINX } from "../requirements.js";
import { Nginx } from "./nginx.js";
import { filesUnder, outputs, sha256File, TEAM_STAGES, teamFiles } from "./team-workspace.js";

interface Envelope {
  record: { stage: string; outs: Record<string, { digest: string }> };
  objects: Record<string, string>;
  signature?: string;
}

// One nginx for the suite; each story uses its own path prefix on it, so the
// stories share a server the way a team does, but not each other's entries.
describeWith(NGINX, "remote cache over HTTP (real nginx, WebDAV PUT)", () => {
  let nginx: Nginx;
  const workspaces: Workspace[] = [];
  const fresh = () => {
    const ws = new Workspace(teamFiles());
    workspaces.push(ws);
    return ws;
  };
  const envelopes = (prefix: string): Envelope[] =>
    filesUnder(join(nginx.root, prefix, "ac")).map((f) => JSON.parse(readFileSync(join(nginx.root, prefix, "ac", f), "utf8")) as Envelope);

  beforeAll(async () => {
    nginx = await Nginx.start();
  });
  afterAll(async () => {
    for (const ws of workspaces) ws.dispose();
    await nginx?.dispose();
  });

  describe("a cold workspace uploads and a fresh clone restores everything", () => {
    let a: Workspace;
    it("runs every stage in workspace A and uploads each record with its objects", async () => {
      a = fresh();
      const run = await a.runJson(["--remote-cache", nginx.url("shared")]);
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "ran")).toEqual(TEAM_STAGES);
      const records = envelopes("shared");
      expect(records.map((r) => r.record.stage).sort()).toEqual(TEAM_STAGES);
      // Every object named by a record is on the server under its SHA-256.
      const cas = new Set(filesUnder(join(nginx.root, "shared", "cas")));
      for (const envelope of records) {
        for (const [digest, sha] of Object.entries(envelope.objects)) {
          expect(cas.has(sha), `${envelope.record.stage} ${digest}`).toBe(true);
          expect(sha256File(join(nginx.root, "shared", "cas", sha))).toBe(sha);
        }
      }
      expect(records.every((r) => r.signature === undefined)).toBe(true);
    });

    it("restores every stage in a fresh workspace B from the remote and runs nothing", async () => {
      const b = fresh();
      const started = performance.now();
      const run = await b.runJson(["--remote-cache", nginx.url("shared")]);
      const elapsed = performance.now() - started;
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "restored")).toEqual(TEAM_STAGES);
      for (const stage of ["ingest", "report", "other", "parts"]) expect(b.count(stage)).toBe(0);
      expect(outputs(b)).toEqual(outputs(a));
      expect(b.read("sluice.lock")).toBe(a.read("sluice.lock"));
      console.info(`restore of ${TEAM_STAGES.length} stages from nginx: ${Math.round(elapsed)} ms (whole CLI process)`);
      // The next run is a local affair: everything cached, nothing fetched.
      const again = await b.runJson(["--remote-cache", nginx.url("shared")]);
      expect(withStatus(again, "cached")).toEqual(TEAM_STAGES);
    });

    it("takes the URL from SLUICE_REMOTE_CACHE as well", async () => {
      const c = fresh();
      const run = await c.runJson([], { env: { SLUICE_REMOTE_CACHE: nginx.url("shared") } });
      expect(withStatus(run, "restored")).toEqual(TEAM_STAGES);
    });

    it("takes the URL from remoteCache in the root pipeline, and --remote-cache off turns it off", async () => {
      const d = fresh();
      d.write("pipeline.ts", `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/demo"], remoteCache: ${JSON.stringify(nginx.url("shared"))} });
`);
      const off = await d.runJson(["demo:other", "--remote-cache", "off"]);
      expect(withStatus(off, "ran")).toEqual(["demo:other"]);
      const run = await d.runJson();
      expect(withStatus(run, "restored")).toEqual(TEAM_STAGES.filter((s) => s !== "demo:other"));
    });
  });

  it("detects a corrupted object on the server, reports it once, never stores it, rebuilds and repairs it", async () => {
    const a = fresh();
    expect((await a.runJson(["--remote-cache", nginx.url("corrupt")])).code).toBe(0);
    const ingest = envelopes("corrupt").find((e) => e.record.stage === "demo:ingest") as Envelope;
    const digest = ingest.record.outs["table"]?.digest as string;
    const sha = ingest.objects[digest] as string;
    const onServer = join(nginx.root, "corrupt", "cas", sha);
    const good = readFileSync(onServer);
    writeFileSync(onServer, Buffer.from(good.toString("utf8").replace("5", "6"), "utf8")); // same length, other bytes

    const b = fresh();
    const run = await b.runJson(["--remote-cache", nginx.url("corrupt")]);
    expect(run.code, run.stderr).toBe(0);
    expect(withStatus(run, "ran")).toEqual(["demo:ingest"]);
    expect(b.count("ingest")).toBe(1);
    expect(withStatus(run, "restored")).toEqual(TEAM_STAGES.filter((s) => s !== "demo:ingest"));
    expect(run.stderr.split(`cas/${sha} is corrupt`).length - 1).toBe(1);
    expect(outputs(b)).toEqual(outputs(a));
    expect(readFileSync(join(b.root, "cache", "objects", digest.slice(0, 2), digest))).toEqual(good); // the rebuilt copy, not the bad one
    // The rebuild re-uploaded the object: the server copy is whole again.
    expect(readFileSync(onServer)).toEqual(good);
  });

  it("completes the run locally when nginx stops in the middle of it", async () => {
    const server = await Nginx.start();
    try {
      const ws = fresh();
      // ingest waits for a go-file, so the server can be stopped while the run is in flight.
      // (A file, not a log line: the test must not depend on when logs are printed.)
      ws.edit("projects/demo/pipeline.ts", `cmd: 'echo run >> "$COUNTS/ingest";`, `cmd: 'touch "$COUNTS/started"; while [ ! -f "$COUNTS/go" ]; do sleep 0.05; done; echo run >> "$COUNTS/ingest";`);
      const running = ws.start(["run", "--json", "--verbose", "--jobs", "1", "--remote-cache", server.url()]);
      while (!existsSync(join(ws.counts, "started"))) {
        if (running.child.exitCode !== null) throw new Error(`the run ended before ingest started:\n${running.stderr()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await server.stop();
      writeFileSync(join(ws.counts, "go"), "");
      const out = await running.done;
      expect(out.code, out.stderr).toBe(0);
      const json = JSON.parse(out.stdout) as { stages: { id: string; status: string }[] };
      expect(json.stages.filter((s) => s.status === "ran").map((s) => s.id).sort()).toEqual(TEAM_STAGES);
      // One warning for the whole run, not one per stage.
      expect(out.stderr.split("is unreachable").length - 1).toBe(1);
    } finally {
      await server.dispose();
    }
  });

  it("never fails the build on a remote that accepts connections but never answers", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const ws = fresh();
      const started = performance.now();
      const run = await ws.runJson(["--remote-cache", `http://127.0.0.1:${port}/cache`], { env: { SLUICE_REMOTE_CACHE_TIMEOUT_MS: "300" } });
      const elapsed = performance.now() - started;
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "ran")).toEqual(TEAM_STAGES);
      expect(run.stderr).toContain("no answer within 300 ms");
      expect(run.stderr.split("is unreachable").length - 1).toBe(1);
      expect(elapsed).toBeLessThan(30_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("uploads nothing with --remote-cache-read-only, but still reads", async () => {
    const ro = fresh();
    const run = await ro.runJson(["--remote-cache", nginx.url("readonly"), "--remote-cache-read-only"]);
    expect(withStatus(run, "ran")).toEqual(TEAM_STAGES);
    expect(filesUnder(join(nginx.root, "readonly"))).toEqual([]);
    const reader = fresh();
    const restored = await reader.runJson(["--remote-cache", nginx.url("shared"), "--remote-cache-read-only"]);
    expect(withStatus(restored, "restored")).toEqual(TEAM_STAGES);
  });

  describe("signed records (SLUICE_CACHE_KEY)", () => {
    const key = { SLUICE_CACHE_KEY: "team-secret" };

    it("signs what it uploads and accepts records signed with the same key", async () => {
      const writer = fresh();
      expect((await writer.runJson(["--remote-cache", nginx.url("signed")], { env: key })).code).toBe(0);
      expect(envelopes("signed").every((e) => /^[0-9a-f]{64}$/.test(e.signature ?? ""))).toBe(true);
      const reader = fresh();
      const run = await reader.runJson(["--remote-cache", nginx.url("signed")], { env: key });
      expect(withStatus(run, "restored")).toEqual(TEAM_STAGES);
    });

    it("ignores records signed with another key", async () => {
      const reader = fresh();
      const run = await reader.runJson(["--remote-cache", nginx.url("signed"), "--remote-cache-read-only"], { env: { SLUICE_CACHE_KEY: "other" } });
      expect(withStatus(run, "ran")).toEqual(TEAM_STAGES);
      expect(run.stderr).toContain("signature does not match SLUICE_CACHE_KEY");
    });

    it("ignores unsigned records when a key is set", async () => {
      const reader = fresh();
      const run = await reader.runJson(["--remote-cache", nginx.url("shared"), "--remote-cache-read-only"], { env: key });
      expect(withStatus(run, "ran")).toEqual(TEAM_STAGES);
      expect(run.stderr).toContain("is not signed");
    });

    it("ignores a signed record whose content was tampered with", async () => {
      const file = filesUnder(join(nginx.root, "signed", "ac"))[0] as string;
      const path = join(nginx.root, "signed", "ac", file);
      const envelope = JSON.parse(readFileSync(path, "utf8")) as Envelope & { record: { durationMs: number } };
      envelope.record.durationMs += 1;
      writeFileSync(path, JSON.stringify(envelope));
      const reader = fresh();
      const run = await reader.runJson(["--remote-cache", nginx.url("signed"), "--remote-cache-read-only"], { env: key });
      expect(withStatus(run, "ran")).toContain(envelope.record.stage);
      expect(run.stderr).toContain("signature does not match");
    });
  });

  it("refuses a remote directory manifest that would write outside the workspace", async () => {
    const local = fresh();
    expect((await local.runJson()).code).toBe(0);
    const key = (JSON.parse(local.read("sluice.lock")) as { stages: Record<string, { key: string }> }).stages["demo:parts"]?.key as string;
    const put = (path: string, bytes: Uint8Array) => {
      mkdirSync(join(nginx.root, "evil", path, ".."), { recursive: true });
      writeFileSync(join(nginx.root, "evil", path), bytes);
    };
    const payload = Buffer.from("pwned\n");
    const log = Buffer.from("");
    const manifest = Buffer.from(JSON.stringify({ files: [["../../../escape.txt", digestBytes(payload)]], kind: "dir" }));
    const objects = Object.fromEntries([payload, log, manifest].map((b) => [digestBytes(b), sha256(b)]));
    for (const bytes of [payload, log, manifest]) put(`cas/${sha256(bytes)}`, bytes);
    const record = {
      version: 1, key, stage: "demo:parts", components: {}, log: digestBytes(log), durationMs: 1, createdAt: new Date().toISOString(),
      held: false, decisions: [], outs: { parts: { path: "projects/demo/data/parts", kind: "dir", digest: digestBytes(manifest), size: 6 } },
    };
    put(`ac/${sha256(key)}`, Buffer.from(JSON.stringify({ format: "sluice-remote-record/1", record, objects })));

    const victim = fresh();
    const run = await victim.runJson(["demo:parts", "--remote-cache", nginx.url("evil"), "--remote-cache-read-only"]);
    expect(run.code, run.stderr).toBe(0);
    expect(withStatus(run, "ran")).toContain("demo:parts");
    expect(run.stderr).toContain('names "../../../escape.txt"');
    expect(existsSync(join(victim.root, "projects", "escape.txt"))).toBe(false);
    expect(existsSync(join(victim.root, "..", "escape.txt"))).toBe(false);
  });

  it("refuses a malformed URL with exit code 2", async () => {
    const ws = fresh();
    const out = await ws.run(["run", "--remote-cache", "ftp://example.org/cache"]);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain("must be http:// or https://");
  });
});
