/**
 * `sluice gc` as the README promises it: records named by sluice.lock and
 * by the last K runs survive (so returning to one of those states is a
 * cache hit), everything else goes (returning reruns), `--keep 0` keeps
 * no run beyond the lock, and `--dry-run` deletes nothing. (Objects pinned
 * by releases: tests/registry/gc-pins.test.ts.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

const PIPELINE = `import { defineProject, file } from "sluice";
export default defineProject("g", (p) => {
  p.stage("fixed", { outs: { o: file("fixed.txt") }, cmd: 'echo run >> "$COUNTS/fixed"; echo fixed > {outs.o}' });
  p.stage("a", { params: { v: 1 }, outs: { o: file("a.txt") }, cmd: 'echo run >> "$COUNTS/a"; echo a{params.v} > {outs.o}' });
});
`;

interface GcJson {
  readonly dryRun: boolean;
  readonly records: { kept: number; removed: number };
  readonly objects: { kept: number; removed: number; bytesFreed: number };
}

/** Path -> bytes of every file under the cache, to prove a dry run changed nothing. */
function cacheFiles(root: string): Record<string, string> {
  const base = join(root, "cache");
  const out: Record<string, string> = {};
  for (const entry of readdirSync(base, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name).slice(base.length)] = readFileSync(join(entry.parentPath, entry.name)).toString("base64");
  }
  return out;
}

describe("sluice gc", () => {
  let ws: Workspace;
  const setV = (v: number) => ws.write("pipeline.ts", PIPELINE.replace("v: 1", `v: ${v}`));
  /** Runs with param v and says what `a` did. */
  const runWith = async (v: number): Promise<string | undefined> => {
    setV(v);
    const run = await ws.runJson();
    expect(run.code, run.stderr).toBe(0);
    return statuses(run)["g:a"];
  };
  const gc = async (args: readonly string[]): Promise<GcJson> => {
    const out = await ws.run(["gc", "--json", ...args]);
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as GcJson;
  };

  beforeAll(async () => {
    ws = new Workspace({ "pipeline.ts": PIPELINE });
    // Four runs, each of a new v: the lock names v4, the history all four.
    for (const v of [1, 2, 3, 4]) expect(await runWith(v)).toBe("ran");
    expect(ws.count("a")).toBe(4);
  });
  afterAll(() => ws.dispose());

  it("with --dry-run reports what it would remove and deletes nothing", async () => {
    const before = cacheFiles(ws.root);
    const report = await gc(["--keep", "2", "--dry-run"]);
    expect(report.dryRun).toBe(true);
    expect(report.records).toEqual({ kept: 3, removed: 2 }); // fixed and a@v3, a@v4 stay; a@v1, a@v2 would go
    expect(report.objects.removed).toBeGreaterThan(0);
    expect(cacheFiles(ws.root)).toEqual(before);
  });

  it("keeps the records of the last K runs and removes older ones", async () => {
    expect((await gc(["--keep", "2"])).records).toEqual({ kept: 3, removed: 2 });
  });

  it("with --keep 0 keeps only what sluice.lock names", async () => {
    expect((await gc(["--keep", "0"])).records).toEqual({ kept: 2, removed: 1 }); // a@v3 goes
    const verify = await ws.run(["verify"]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it("leaves the lock's state a hit and makes a removed state rerun", async () => {
    expect(await runWith(3)).toBe("ran"); // dropped by --keep 0
    expect(await runWith(4)).toBe("restored"); // a hit: the lock named it through both collections
    expect(await runWith(2)).toBe("ran"); // dropped by --keep 2
    expect(ws.count("fixed")).toBe(1); // named by the lock all along
  });

  it("refuses a --keep that is not a whole number of runs", async () => {
    for (const keep of ["-1", "1.5"]) {
      const out = await ws.run(["gc", "--keep", keep]);
      expect(out.code, keep).toBe(2);
      expect(out.stderr).toContain("--keep must be a whole number of runs, 0 or more");
    }
    const word = await ws.run(["gc", "--keep", "many"]);
    expect(word.code).toBe(2);
    expect(word.stderr).toContain('--keep expects a number (got "many")');
  });
});
