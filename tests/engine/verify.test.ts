import { readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoFiles } from "../fixtures/demo-workspace.js";
import { withStatus, Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

function files(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true }).map(String).filter((f) => f.includes("/"));
}

describe("sluice verify", () => {
  it("passes on a healthy cache, then names a corrupt object and a torn record, which the next run rebuilds", async () => {
    ws = new Workspace(demoFiles());
    await ws.runJson();
    expect((await ws.run(["verify"])).code).toBe(0);

    const lock = JSON.parse(ws.read("sluice.lock")) as { stages: Record<string, { key: string; outs: { digest: string; path: string }[] }> };
    const clean = lock.stages["demo:clean"];
    const digest = clean?.outs[0]?.digest as string;
    const object = join(ws.root, "cache/objects", digest.slice(0, 2), digest);
    const bytes = readFileSync(object);
    bytes[0] = (bytes[0] as number) ^ 0xff;
    writeFileSync(object, bytes);
    const statsKey = lock.stages["demo:stats"]?.key as string;
    truncateSync(join(ws.root, "cache/records", statsKey.slice(0, 2), `${statsKey}.json`), 20);

    const verdict = await ws.run(["verify"]);
    expect(verdict.code).toBe(1);
    expect(verdict.stdout).toContain(`object ${digest} hashes to`);
    expect(verdict.stdout).toContain(`run record ${statsKey} is unreadable: not valid JSON (truncated?)`);

    // At use time the bad entries are misses: clean's object cannot be restored, so clean reruns; stats' record is torn, so stats reruns.
    ws.write(clean?.outs[0]?.path as string, "edited\n");
    const run = await ws.runJson();
    expect(run.code).toBe(0);
    expect(withStatus(run, "ran")).toEqual(["demo:clean", "demo:stats"]);
    expect(run.stderr).toContain("is corrupt; rebuilding");
    expect(run.stderr).toContain(`run record ${statsKey} is corrupt`);
    expect(files(ws.root, "cache/objects")).toContain(`${digest.slice(0, 2)}/${digest}`); // rebuilt, whole again
    expect((await ws.run(["verify"])).code).toBe(0);
  });

  it("--rerun re-executes stages into scratch space and names those whose outputs differ", async () => {
    ws = new Workspace({
      ...demoFiles(),
      "projects/demo/pipeline.ts": demoFiles()["projects/demo/pipeline.ts"]!.replace(
        `  p.stage("other", {`,
        `  p.stage("clock", { outs: { now: file("out/now.txt") }, cmd: "date +%s%N > {outs.now}" });\n  p.stage("other", {`,
      ),
    });
    await ws.runJson();
    const before = ws.read("projects/demo/out/report.txt");
    const out = await ws.run(["verify", "--rerun", "all", "--json"]);
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as { reruns: { id: string; verification: { outcome: string } | null }[] };
    const outcome = Object.fromEntries(json.reruns.map((r) => [r.id, r.verification?.outcome]));
    expect(outcome["demo:clock"]).toBe("differs");
    for (const id of ["demo:ingest", "demo:clean", "demo:features", "demo:stats", "demo:report", "demo:other"]) expect(outcome[id]).toBe("identical");
    expect(ws.read("projects/demo/out/report.txt")).toBe(before); // scratch only: the workspace is untouched
  });
});
