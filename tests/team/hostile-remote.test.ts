import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestBytes, initDigests } from "../../src/cache/index.js";
import { sha256 } from "../../src/cache/remote/index.js";
import { withStatus, Workspace } from "../rig.js";
import { Nginx, NGINX_BIN } from "./nginx.js";
import { teamFiles } from "./team-workspace.js";

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
    await initDigests();
  });
  afterAll(async () => {
    for (const ws of workspaces) ws.dispose();
    await nginx?.dispose();
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
