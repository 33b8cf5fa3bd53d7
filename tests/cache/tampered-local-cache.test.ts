import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestBytes } from "../../src/cache/index.js";
import { withStatus, Workspace } from "../rig.js";
import { teamFiles } from "../team/team-workspace.js";

/**
 * The local cache is checked on every restore as a remote one is: a run
 * record or directory manifest that was tampered with (by hand, a bad sync,
 * another tool) cannot make a restore write outside its output folder.
 */
describe("a tampered local cache", () => {
  const workspaces: Workspace[] = [];
  let elsewhere: string;
  beforeAll(async () => {
    elsewhere = mkdtempSync(join(tmpdir(), "sluice-elsewhere-"));
  });
  afterAll(() => {
    for (const ws of workspaces) ws.dispose();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  /** A workspace after one run, with demo:parts' record rewritten by `tamper` and its output removed. */
  const tampered = async (tamper: (out: Record<string, unknown>, putObject: (bytes: Buffer) => string) => void) => {
    const ws = new Workspace(teamFiles());
    workspaces.push(ws);
    expect((await ws.runJson()).code).toBe(0);
    const key = (JSON.parse(ws.read("sluice.lock")) as { stages: Record<string, { key: string }> }).stages["demo:parts"]?.key as string;
    const recordFile = join(ws.root, "cache", "records", key.slice(0, 2), `${key}.json`);
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as { outs: Record<string, Record<string, unknown>> };
    const putObject = (bytes: Buffer) => {
      const digest = digestBytes(bytes);
      mkdirSync(join(ws.root, "cache", "objects", digest.slice(0, 2)), { recursive: true });
      writeFileSync(join(ws.root, "cache", "objects", digest.slice(0, 2), digest), bytes);
      return digest;
    };
    tamper(record.outs["parts"] as Record<string, unknown>, putObject);
    writeFileSync(recordFile, JSON.stringify(record));
    rmSync(join(ws.root, "projects/demo/data/parts"), { recursive: true });
    return ws;
  };
  const escaping = () => `${"../".repeat(30)}${elsewhere.slice(1)}/ESCAPED.txt`;

  it("does not restore a directory manifest naming a path outside its folder: the stage reruns, with one warning", async () => {
    const ws = await tampered((out, put) => {
      const payload = put(Buffer.from("pwned\n"));
      out["digest"] = put(Buffer.from(JSON.stringify({ files: [[escaping(), payload]], kind: "dir" })));
    });
    const run = await ws.runJson(["demo:parts"]);
    expect(existsSync(join(elsewhere, "ESCAPED.txt"))).toBe(false);
    expect(run.code, run.stderr).toBe(0);
    expect(withStatus(run, "ran")).toEqual(["demo:parts"]);
    expect(run.stderr.split("\n").filter((l) => l.startsWith("warning"))).toEqual([
      expect.stringMatching(/^warning: demo:parts: not reusing the cached result \w+: directory output projects\/demo\/data\/parts: the manifest names ".*ESCAPED.txt", which leaves its folder \(\.\.\); rebuilding$/),
    ]);
    expect(ws.read("projects/demo/data/parts/sub/b.txt")).toBe("part\n");
  });

  it("does not serve a record whose output kind differs from the declaration", async () => {
    const ws = await tampered((out) => {
      out["kind"] = "file";
    });
    const run = await ws.runJson(["demo:parts"]);
    expect(run.code, run.stderr).toBe(0);
    expect(withStatus(run, "ran")).toEqual(["demo:parts"]);
    expect(run.stderr).toContain('demo:parts: not reusing the cached result');
    expect(run.stderr).toContain('it records output "parts" as a file, the stage declares a dir');
  });
});
