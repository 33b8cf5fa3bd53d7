import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { withStatus, Workspace } from "../rig.js";
import { describeWith, NGINX } from "../requirements.js";
import { Nginx } from "./nginx.js";
import { outputs, TEAM_STAGES, teamFiles } from "./team-workspace.js";

interface PlanJson {
  count: number;
  shards: { index: number; stages: string[]; estimatedMs: number }[];
  durations: Record<string, { ms: number; from: string }>;
}

interface LockJson {
  stages: Record<string, unknown>;
}

const SHARD_1 = ["demo:ingest", "demo:clean", "demo:features", "demo:stats", "demo:report"];
const SHARD_2 = ["demo:ingest", "demo:other", "demo:clean", "demo:parts"];

describeWith(NGINX, "CI sharding over a shared nginx remote cache", () => {
  let nginx: Nginx;
  let full: Workspace;
  const workspaces: Workspace[] = [];
  const fresh = () => {
    const ws = new Workspace(teamFiles());
    workspaces.push(ws);
    return ws;
  };
  const lockOf = (ws: Workspace) => JSON.parse(ws.read("sluice.lock")) as LockJson;

  beforeAll(async () => {
    nginx = await Nginx.start();
    // The reference: one full run on one machine, no remote.
    full = fresh();
    const run = await full.runJson();
    if (run.code !== 0) throw new Error(run.stderr);
  });
  afterAll(async () => {
    for (const ws of workspaces) ws.dispose();
    await nginx?.dispose();
  });

  it("plans shards that keep each sink with its upstream, and prints them as a table", async () => {
    const ws = fresh();
    const out = await ws.run(["plan", "--shards", "2", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const plan = JSON.parse(out.stdout) as PlanJson;
    expect(plan.count).toBe(2);
    expect(plan.shards.map((s) => s.stages)).toEqual([SHARD_1, SHARD_2]);
    expect(Object.values(plan.durations).every((d) => d.from === "default")).toBe(true);
    const text = await ws.run(["plan", "--shards", "2"]);
    expect(text.stdout).toContain("1/2");
    expect(text.stdout).toContain("demo:ingest demo:other demo:clean demo:parts");
  });

  it("balances by the durations recorded in run records", async () => {
    // `full` has run: its records (under the keys in sluice.lock) give durations.
    const out = await full.run(["plan", "--shards", "2", "--json"]);
    const plan = JSON.parse(out.stdout) as PlanJson;
    expect(Object.values(plan.durations).every((d) => d.from === "run-record")).toBe(true);
    expect(new Set(plan.shards.flatMap((s) => s.stages))).toEqual(new Set(TEAM_STAGES));
  });

  it("two shards in separate processes with separate caches produce the outputs and sluice.lock of one full run", async () => {
    const planner = fresh();
    const planFile = join(planner.counts, "plan.json");
    writeFileSync(planFile, (await planner.run(["plan", "--shards", "2", "--json"])).stdout);
    const url = nginx.url("parallel");
    const [one, two] = [fresh(), fresh()];
    // Both shards at once, as a CI matrix runs them.
    const shard = (i: number) => ["--shard", `${i}/2`, "--shard-plan", planFile, "--remote-cache", url, "--fail-on-hold"];
    const [run1, run2] = await Promise.all([one.runJson(shard(1)), two.runJson(shard(2))]);
    expect(run1.code, run1.stderr).toBe(0);
    expect(run2.code, run2.stderr).toBe(0);
    expect(run1.stages.map((s) => s.id).sort()).toEqual([...SHARD_1].sort());
    expect(run2.stages.map((s) => s.id).sort()).toEqual([...SHARD_2].sort());

    // Each shard's outputs are byte-identical to the full run's.
    const reference = outputs(full);
    for (const ws of [one, two]) {
      for (const [path, text] of Object.entries(outputs(ws))) expect(text, path).toBe(reference[path]);
    }
    // The shards' lock entries together are the full run's lock.
    const merged = { ...lockOf(one).stages, ...lockOf(two).stages };
    for (const [id, entry] of Object.entries(lockOf(full).stages)) expect(merged[id], id).toEqual(entry);
    expect(Object.keys(merged).sort()).toEqual(TEAM_STAGES);

    // A gather job (read-only, empty cache) restores everything the shards built and runs nothing.
    const gather = fresh();
    const all = await gather.runJson(["--remote-cache", url, "--remote-cache-read-only", "--fail-on-hold"]);
    expect(all.code, all.stderr).toBe(0);
    expect(withStatus(all, "restored")).toEqual(TEAM_STAGES);
    expect(gather.read("sluice.lock")).toBe(full.read("sluice.lock"));
    expect(outputs(gather)).toEqual(reference);

    // A fresh checkout has only sluice.lock: plan reads durations from the remote records of its keys.
    const clone = fresh();
    clone.write("sluice.lock", full.read("sluice.lock"));
    const replanned = JSON.parse((await clone.run(["plan", "--shards", "2", "--json", "--remote-cache", url])).stdout) as PlanJson;
    expect(Object.values(replanned.durations).map((d) => d.from)).toEqual(TEAM_STAGES.map(() => "remote-record"));
  });

  it("a later shard restores the upstream another shard built instead of running it", async () => {
    const url = nginx.url("sequential");
    const [one, two] = [fresh(), fresh()];
    const run1 = await one.runJson(["--shard", "1/2", "--remote-cache", url]);
    expect(withStatus(run1, "ran")).toEqual([...SHARD_1].sort());
    const run2 = await two.runJson(["--shard", "2/2", "--remote-cache", url]);
    expect(run2.stages.map((s) => s.id).sort()).toEqual([...SHARD_2].sort());
    expect(withStatus(run2, "restored")).toEqual(["demo:clean", "demo:ingest"]);
    expect(withStatus(run2, "ran")).toEqual(["demo:other", "demo:parts"]);
    expect(two.count("ingest")).toBe(0);
  });

  it("refuses a malformed shard or a plan for another shard count with exit code 2", async () => {
    const ws = fresh();
    const bad = await ws.run(["run", "--shard", "3/2"]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toContain("expected i/N");
    const planFile = join(ws.counts, "plan3.json");
    writeFileSync(planFile, (await ws.run(["plan", "--shards", "3", "--json"])).stdout);
    const mismatch = await ws.run(["run", "--shard", "1/2", "--shard-plan", planFile]);
    expect(mismatch.code, mismatch.stderr).toBe(2);
    expect(mismatch.stderr).toContain("a plan for 3 shards");
  });
});
