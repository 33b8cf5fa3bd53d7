import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestBytes } from "../../src/cache/index.js";
import { sha256 } from "../../src/cache/remote/index.js";
import { withStatus, Workspace, type RunJson, type RunOutput } from "../rig.js";
import { HostileServer } from "./hostile-server.js";
import { Nginx, NGINX_BIN } from "./nginx.js";
import { filesUnder, outputs, TEAM_STAGES, teamFiles } from "./team-workspace.js";

interface Envelope {
  record: { stage: string; key: string; outs: Record<string, { digest: string }> };
  objects: Record<string, string>;
}

describe.skipIf(!NGINX_BIN)("a hostile remote cache", () => {
  let nginx: Nginx;
  const workspaces: Workspace[] = [];
  const fresh = () => {
    const ws = new Workspace(teamFiles());
    workspaces.push(ws);
    return ws;
  };
  beforeAll(async () => {
    nginx = await Nginx.start();
  });
  afterAll(async () => {
    for (const ws of workspaces) ws.dispose();
    await nginx?.dispose();
  });

  describe("a server that misbehaves on the wire (a small hostile server mirroring nginx)", () => {
    let source: Workspace;
    let hostile: HostileServer;
    /** Records the peak RSS of every node process of a run (one file per pid). */
    let rssDir: string;
    const envelope = (stage: string): Envelope =>
      filesUnder(join(nginx.root, "src", "ac"))
        .map((f) => JSON.parse(readFileSync(join(nginx.root, "src", "ac", f), "utf8")) as Envelope)
        .find((e) => e.record.stage === stage) as Envelope;
    /** The server path of demo:ingest's output object and of its record. */
    const ingestObject = () => {
      const e = envelope("demo:ingest");
      return `cas/${e.objects[e.record.outs["table"]?.digest as string] as string}`;
    };
    const ingestRecord = () => `ac/${sha256(envelope("demo:ingest").record.key)}`;
    const victimRun = async (url: string): Promise<{ ws: Workspace; run: RunJson & RunOutput; peakRssMb: number }> => {
      const ws = fresh();
      rmSync(rssDir, { recursive: true, force: true });
      mkdirSync(rssDir);
      const run = await ws.runJson(["--remote-cache", url, "--remote-cache-read-only"], {
        env: { NODE_OPTIONS: `--import=${join(rssDir, "..", "rss.mjs")}`, RSS_DIR: rssDir },
      });
      const peaks = readdirSync(rssDir).map((f) => Number(readFileSync(join(rssDir, f), "utf8")));
      return { ws, run, peakRssMb: Math.max(...peaks) / 1024 };
    };
    /** A finished run leaves neither its lock nor its downloads' temp files behind. */
    const leftNothingBehind = (ws: Workspace) => {
      expect(ws.exists("cache/lock")).toBe(false);
      expect(filesUnder(join(ws.root, "cache", "tmp"))).toEqual([]);
    };

    beforeAll(async () => {
      source = fresh();
      expect((await source.runJson(["--remote-cache", nginx.url("src")])).code).toBe(0);
      hostile = await HostileServer.start(nginx.root);
      const dir = mkdtempSync(join(tmpdir(), "sluice-rss-"));
      rssDir = join(dir, "peaks");
      writeFileSync(join(dir, "rss.mjs"), `import { writeFileSync } from "node:fs";
process.on("exit", () => writeFileSync(\`\${process.env.RSS_DIR}/\${process.pid}\`, String(process.resourceUsage().maxRSS)));
`);
    });
    afterAll(async () => {
      await hostile?.close();
      if (rssDir) rmSync(join(rssDir, ".."), { recursive: true, force: true });
    });

    it("serves a faithful mirror as a hit (the baseline of the stories below)", async () => {
      hostile.rule = () => undefined;
      const { run, peakRssMb } = await victimRun(hostile.url("src"));
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "restored")).toEqual(TEAM_STAGES);
      expect(warnings(run.stderr)).toEqual([]);
      console.info(`peak RSS of a restore from the mirror: ${Math.round(peakRssMb)} MB`);
    });

    it("cuts off an object body longer than its digest says, with flat memory, and reruns only that stage", async () => {
      const target = ingestObject();
      hostile.rule = (rest) => (rest === target ? { kind: "flood", bytes: 512 << 20 } : undefined);
      const started = performance.now();
      const { ws, run, peakRssMb } = await victimRun(hostile.url("src"));
      console.info(`flooded object: ${Math.round(performance.now() - started)} ms, peak RSS ${Math.round(peakRssMb)} MB`);
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "ran")).toEqual(["demo:ingest"]);
      expect(withStatus(run, "restored")).toEqual(TEAM_STAGES.filter((s) => s !== "demo:ingest"));
      expect(warnings(run.stderr)).toEqual([expect.stringMatching(/demo:ingest: remote object cas\/\w+ is corrupt \(expected \S+, it is longer than the \d+ bytes its digest says\)/)]);
      expect(outputs(ws)).toEqual(outputs(source));
      // A 512 MB body held in memory would put the process far above this.
      expect(peakRssMb).toBeLessThan(250);
      leftNothingBehind(ws);
    });

    it("refuses an object whose Content-Length is over its size before reading the body", async () => {
      const target = ingestObject();
      hostile.rule = (rest) => (rest === target ? { kind: "claims-huge" } : undefined);
      const { ws, run, peakRssMb } = await victimRun(hostile.url("src"));
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "ran")).toEqual(["demo:ingest"]);
      expect(warnings(run.stderr)).toEqual([expect.stringMatching(/demo:ingest: remote object cas\/\w+ is corrupt .*longer than/)]);
      expect(peakRssMb).toBeLessThan(250);
      leftNothingBehind(ws);
    });

    it("refuses a record past its few megabytes, streamed or declared, as a miss", async () => {
      for (const behaviour of [{ kind: "flood", bytes: 64 << 20 }, { kind: "claims-huge" }] as const) {
        const target = ingestRecord();
        hostile.rule = (rest) => (rest === target ? behaviour : undefined);
        const { ws, run, peakRssMb } = await victimRun(hostile.url("src"));
        expect(run.code, run.stderr).toBe(0);
        expect(withStatus(run, "ran")).toEqual(["demo:ingest"]);
        expect(warnings(run.stderr)).toEqual([expect.stringMatching(/demo:ingest: could not read the remote record \w+: GET \S+: (the body passed|Content-Length \d+ is over)/)]);
        expect(peakRssMb).toBeLessThan(250);
        leftNothingBehind(ws);
      }
    });

    it("does not follow a redirect to another origin: every stage runs, with one warning", async () => {
      const nginxOrigin = `http://127.0.0.1:${nginx.port}`;
      hostile.rule = () => ({ kind: "redirect", base: nginxOrigin });
      const before = readFileSync(join(nginx.dir, "access.log"), "utf8").length;
      const { ws, run } = await victimRun(hostile.url("src"));
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "ran")).toEqual(TEAM_STAGES);
      expect(warnings(run.stderr)).toEqual([expect.stringMatching(/redirects to another origin \(http:\/\/127\.0\.0\.1:\d+\); not following it/)]);
      // The other origin never heard from us.
      expect(readFileSync(join(nginx.dir, "access.log"), "utf8").slice(before)).not.toContain("GET ");
      leftNothingBehind(ws);
    });

    it("follows a redirect within the remote's own origin", async () => {
      hostile.rule = () => ({ kind: "redirect", base: `http://127.0.0.1:${hostile.port}/same` });
      const { run } = await victimRun(hostile.url("src"));
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "restored")).toEqual(TEAM_STAGES);
      expect(warnings(run.stderr)).toEqual([]);
    });
  });

  it("cannot write outside the workspace by calling a directory output a file", async () => {
    const local = fresh();
    expect((await local.runJson()).code).toBe(0);
    const key = (JSON.parse(local.read("sluice.lock")) as { stages: Record<string, { key: string }> }).stages["demo:parts"]?.key as string;
    const put = (path: string, bytes: Uint8Array) => {
      mkdirSync(join(nginx.root, "evil", path, ".."), { recursive: true });
      writeFileSync(join(nginx.root, "evil", path), bytes);
    };
    const elsewhere = mkdtempSync(join(tmpdir(), "sluice-elsewhere-"));
    try {
      const payload = Buffer.from("pwned\n");
      const manifest = Buffer.from(JSON.stringify({ files: [[`${"../".repeat(30)}${elsewhere.slice(1)}/ESCAPED.txt`, digestBytes(payload)]], kind: "dir" }));
      const objects = Object.fromEntries([payload, manifest].map((b) => [digestBytes(b), sha256(b)]));
      for (const bytes of [payload, manifest]) put(`cas/${sha256(bytes)}`, bytes);
      const record = {
        version: 1, key, stage: "demo:parts", components: {}, log: digestBytes(payload), durationMs: 1, createdAt: new Date().toISOString(),
        held: false, decisions: [], outs: { parts: { path: "projects/demo/data/parts", kind: "file", digest: digestBytes(manifest), size: manifest.length } },
      };
      put(`ac/${sha256(key)}`, Buffer.from(JSON.stringify({ format: "sluice-remote-record/1", record, objects })));

      const victim = fresh();
      const run = await victim.runJson(["demo:parts", "--remote-cache", nginx.url("evil"), "--remote-cache-read-only"]);
      expect(existsSync(join(elsewhere, "ESCAPED.txt"))).toBe(false);
      expect(run.code, run.stderr).toBe(0);
      expect(withStatus(run, "ran")).toContain("demo:parts");
      expect(warnings(run.stderr)).toEqual([
        expect.stringMatching(/demo:parts: ignoring the remote record \w+: it records output "parts" as a file, the stage declares a dir/),
      ]);
      // Refused before any download: nothing was asked of cas/.
      expect(readFileSync(join(nginx.dir, "access.log"), "utf8")).not.toContain("GET /evil/cas/");
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

/** The warning lines of a run's stderr. */
function warnings(stderr: string): string[] {
  return stderr.split("\n").filter((line) => /warn/i.test(line));
}
