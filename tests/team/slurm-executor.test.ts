/**
 * Stages as jobs on a real single-node Slurm cluster, with a real nginx as
 * the remote cache between the submitter and the node. The job runs the
 * same sluice (this checkout's build) in a git clone of the workspace at
 * its commit, so the node reads nothing from the submitter's disk but the
 * repository its prepare step clones.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeWith, NGINX, SLURM } from "../requirements.js";
import { Workspace, type RunJson, type RunOutput } from "../rig.js";
import { Nginx } from "./nginx.js";
import { SlurmCluster } from "./slurm.js";
import { filesUnder } from "./team-workspace.js";

// A job starts a second sluice on the node (a clone, a pipeline load): on a busy two-core machine a test of two jobs can take half a minute.
vi.setConfig({ testTimeout: 120_000 });

const PIPELINE = `import { defineWorkspace } from "sluice";
export default defineWorkspace({ projects: ["projects/ml"], slurm: { partition: "debug" } });
`;

const PROJECT = `import { defineProject, file, source } from "sluice";
import { train } from "./train.js";

export default defineProject("ml", (p) => {
  const prep = p.stage("prep", {
    deps: { raw: source("raw.csv") },
    outs: { table: file("data/table.csv") },
    cmd: "sort -n {deps.raw} > {outs.table}",
  });
  const fit = p.stage("train", {
    deps: { table: prep.outs.table },
    params: { scale: 3, fail: false },
    outs: { model: file("model/model.json") },
    resources: { gpu: 1, memGiB: 1, cpus: 2 },
    executor: "slurm",
    run: train,
  });
  p.stage("evaluate", {
    deps: { model: fit.outs.model },
    outs: { report: file("out/report.txt") },
    cmd: "wc -c {deps.model} > {outs.report}",
  });
  // Holds summary back until the test creates $SLUICE_TEST_GO (outside the workspace, so not an input).
  const hold = p.stage("hold", {
    deps: { raw: source("raw.csv") },
    outs: { done: file("out/held.txt") },
    cmd: 'while [ ! -e "$SLUICE_TEST_GO" ]; do sleep 0.1; done; echo > {outs.done}',
  });
  p.stage("summary", {
    deps: { table: prep.outs.table, held: hold.outs.done },
    outs: { lines: file("out/lines.txt") },
    cmd: "wc -l < {deps.table} > {outs.lines}",
  });
  p.stage("sleepy", {
    deps: { raw: source("raw.csv") },
    outs: { done: file("out/slept.txt") },
    resources: { gpu: 1 },
    // A script that ends well when stopped (as one whose sleep died first would): only the scheduler knows better.
    cmd: "trap 'echo > {outs.done}; exit 0' TERM; echo going to sleep; sleep 60 & wait",
  });
});
`;

const TRAIN = `import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
export function train(ctx: { deps: { table: string }; outs: { model: string }; params: { scale: number; fail: boolean }; log: (...a: unknown[]) => void }) {
  const rows = readFileSync(ctx.deps.table, "utf8").trim().split("\\n").map(Number);
  ctx.log("training on", rows.length, "rows");
  if (ctx.params.fail) throw new Error("the loss diverged at epoch 3");
  mkdirSync(dirname(ctx.outs.model), { recursive: true });
  writeFileSync(ctx.outs.model, JSON.stringify({ weights: rows.map((v) => v * ctx.params.scale) }) + "\\n");
}
`;

const FILES = {
  "pipeline.ts": PIPELINE,
  "projects/ml/pipeline.ts": PROJECT,
  "projects/ml/train.ts": TRAIN,
  "projects/ml/raw.csv": "5\n3\n9\n1\n",
  ".gitignore": "node_modules\ncache/\nsluice.lock\nprojects/ml/data/\nprojects/ml/model/\nprojects/ml/out/\n",
};

const OUTPUTS = ["projects/ml/data/table.csv", "projects/ml/model/model.json", "projects/ml/out/report.txt"];

/** The workspace as a git repository with one commit: the node clones it. */
function committed(ws: Workspace): Workspace {
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", ...args], { cwd: ws.root, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "pipeline");
  return ws;
}

/** A `run --json` stage line with the job a cluster stage ran as. */
type JobLine = RunJson["stages"][number] & { job?: { executor: string; id: string; node: string | null } };

function parse(out: RunOutput): Omit<RunJson, "stages"> & RunOutput & { stages: JobLine[] } {
  try {
    return { ...out, ...(JSON.parse(out.stdout) as RunJson) };
  } catch {
    throw new Error(`stdout is not JSON (exit ${out.code}):\n${out.stdout}\n--- stderr ---\n${out.stderr}`);
  }
}

describeWith(SLURM, "stages as Slurm jobs", () => {
  describeWith(NGINX, "with the remote cache as the data plane (real Slurm, real nginx)", () => {
    let cluster: SlurmCluster;
    let nginx: Nginx;
    const workspaces: Workspace[] = [];
    const fresh = () => {
      const ws = committed(new Workspace(FILES));
      workspaces.push(ws);
      return ws;
    };
    /** The environment a submitter runs with: the cluster, a quick queue poll, and a prepare step that also links the packages. */
    const env = () => ({
      ...cluster.env(),
      SLUICE_SLURM_POLL_MS: "200",
      SLUICE_SLURM_PREPARE: 'git clone --quiet "$SLUICE_REPO" . && git checkout --quiet "$SLUICE_COMMIT" && ln -s "$SLUICE_REPO/node_modules" node_modules',
    });
    const records = (prefix: string) => filesUnder(join(nginx.root, prefix, "ac"));

    beforeAll(async () => {
      [cluster, nginx] = await Promise.all([SlurmCluster.start(), Nginx.start()]);
    });
    afterAll(async () => {
      for (const ws of workspaces) ws.dispose();
      await Promise.all([cluster?.dispose(), nginx?.dispose()]);
    });

    it("runs the train stage as a job whose outputs are byte-identical to a local run's, then submits nothing on a second run", async () => {
      const here = fresh();
      const local = parse(await here.run(["run", "--json", "ml:evaluate", "--executor", "local"], { env: env() }));
      expect(local.code, local.stderr).toBe(0);
      expect(cluster.jobs()).toEqual([]);

      const ws = fresh();
      const remote = nginx.url("identical");
      const out = parse(await ws.run(["run", "--json", "--verbose", "ml:evaluate", "--remote-cache", remote], { env: env() }));
      expect(out.code, `${out.stderr}\n${cluster.log()}`).toBe(0);
      const train = out.stages.find((s) => s.id === "ml:train");
      expect(train?.status).toBe("ran");
      expect(train?.job).toEqual({ executor: "slurm", id: expect.stringMatching(/^\d+$/), node: cluster.node });
      // The executor is not part of the key: the same key local or on the cluster.
      expect(out.stages.map((s) => [s.id, s.key])).toEqual(local.stages.map((s) => [s.id, s.key]));
      for (const path of OUTPUTS) expect(readFileSync(join(ws.root, path)), path).toEqual(readFileSync(join(here.root, path)));
      // Progress named the job and its node; the job's own output reached the stage log.
      expect(out.stderr).toMatch(new RegExp(`queued +ml:train \\(slurm job ${train?.job?.id}\\)`));
      expect(out.stderr).toMatch(new RegExp(`running +ml:train on ${cluster.node} \\(slurm job ${train?.job?.id}\\)`));
      expect(out.stderr).toContain("[ml:train] ");
      expect(out.stderr).toContain("training on 4 rows");
      expect(cluster.jobs().map((j) => [j.name, j.state])).toEqual([["sluice:ml:train", "COMPLETED"]]);

      // The run history says where it ran.
      const runs = JSON.parse((await ws.run(["runs", "ml:train", "--json"], { env: env() })).stdout) as { runs: Record<string, unknown>[] };
      expect(runs.runs.at(-1)).toMatchObject({ stage: "ml:train", status: "ran", executor: "slurm", job: train?.job?.id, node: cluster.node });

      const again = parse(await ws.run(["run", "--json", "ml:evaluate", "--remote-cache", remote], { env: env() }));
      expect(again.code, again.stderr).toBe(0);
      expect(again.stages.map((s) => s.status)).toEqual(["cached", "cached", "cached"]);
      expect(cluster.jobs()).toHaveLength(1);
    });

    it("hands the declared resources to sbatch (one GPU, 1 GiB, two CPUs reach the scheduler) and signs the job's record with SLUICE_CACHE_KEY", async () => {
      const ws = fresh();
      const out = parse(await ws.run(["run", "--json", "ml:train", "--remote-cache", nginx.url("resources")], { env: { ...env(), SLUICE_CACHE_KEY: "team-secret" } }));
      expect(out.code, out.stderr).toBe(0);
      // The job's environment carried the key: the record it uploaded is signed, and the submitter accepted it.
      const envelopes = records("resources").map((f) => JSON.parse(readFileSync(join(nginx.root, "resources", "ac", f), "utf8")) as { record: { stage: string }; signature?: string });
      expect(envelopes.map((e) => [e.record.stage, typeof e.signature]).sort()).toEqual([["ml:prep", "string"], ["ml:train", "string"]]);
      const id = out.stages.find((s) => s.id === "ml:train")?.job?.id as string;
      const job = cluster.job(id);
      expect(job["TresPerNode"]).toBe("gres:gpu:1");
      expect(job["MinMemoryNode"]).toBe("1G");
      expect(job["CPUs/Task"]).toBe("2");
      expect(job["Partition"]).toBe("debug");
      expect(job["JobName"]).toBe("sluice:ml:train");
    });

    it("fails the stage of a failing job with the scheduler's reason and the job's log tail, caching nothing", async () => {
      const ws = fresh();
      const prefix = "failing";
      const out = parse(await ws.run(["run", "--json", "ml:evaluate", "--keep-going", "--set", "ml:train.fail=true", "--remote-cache", nginx.url(prefix)], { env: env() }));
      expect(out.code).toBe(1);
      const train = out.stages.find((s) => s.id === "ml:train");
      expect(train?.status).toBe("failed");
      expect(train?.reason).toMatch(new RegExp(`^job-failed: slurm job \\d+ FAILED on ${cluster.node} \\(NonZeroExitCode, exit code 1:0\\)$`));
      expect(out.stages.find((s) => s.id === "ml:evaluate")?.status).toBe("skipped");
      // The log tail the failure shows comes from the job: the stage's own error.
      expect(out.stderr).toMatch(/\| .*the loss diverged at epoch 3/);
      expect(ws.exists("projects/ml/model/model.json")).toBe(false);
      // Only prep's record is on the remote (the submitter published it for the job).
      expect(records(prefix)).toHaveLength(1);
      expect(existsSync(join(ws.root, "cache", "records")) ? filesUnder(join(ws.root, "cache", "records")) : []).toHaveLength(1);
    });

    it("goes on past a failed job with --keep-going (the rest still runs) and stops at it without", async () => {
      const status = (out: ReturnType<typeof parse>) => Object.fromEntries(out.stages.map((s) => [s.id, s.status]));
      /** A run of a fresh workspace in which summary's upstream finishes only once the job has failed: summary is still to start then. */
      const afterFailure = async (prefix: string, extra: string[]) => {
        const ws = fresh();
        const go = join(ws.counts, "go");
        const args = ["run", "--json", "ml:evaluate", "ml:summary", "--jobs", "2", "--set", "ml:train.fail=true", "--remote-cache", nginx.url(prefix), ...extra];
        const started = ws.start(args, { env: { ...env(), SLUICE_TEST_GO: go } });
        await started.waitFor("failed    ml:train");
        writeFileSync(go, "");
        return { ws, out: parse(await started.done) };
      };
      const stopped = await afterFailure("stop-at-failure", []);
      expect(stopped.out.code).toBe(1);
      expect(status(stopped.out)).toMatchObject({ "ml:train": "failed", "ml:evaluate": "skipped", "ml:hold": "ran", "ml:summary": "skipped" });
      const kept = await afterFailure("keep-going", ["--keep-going"]);
      expect(kept.out.code).toBe(1);
      expect(status(kept.out)).toMatchObject({ "ml:train": "failed", "ml:evaluate": "skipped", "ml:hold": "ran", "ml:summary": "ran" });
      expect(kept.ws.read("projects/ml/out/lines.txt").trim()).toBe("4");
    });

    it("fails a job whose checkout computes another key (an uncommitted edit on the submitter) before the stage runs there", async () => {
      const ws = fresh();
      ws.edit("projects/ml/train.ts", "ctx.log(", "ctx.log(\"edited\", ");
      const out = parse(await ws.run(["run", "--json", "ml:train", "--remote-cache", nginx.url("mismatch")], { env: env() }));
      expect(out.code).toBe(1);
      expect(out.stages.find((s) => s.id === "ml:train")?.reason).toMatch(/^job-failed: slurm job \d+ FAILED/);
      expect(out.stderr).toMatch(/\| .*key-mismatch: this checkout computes key \w+ but the submitter asked for \w+/);
      expect(out.stderr).not.toContain("training on");
      expect(records("mismatch")).toHaveLength(1); // prep, published for the job
    });

    it("keeps nothing from a stage that ends after the scheduler stopped its job, even when the command exits 0", async () => {
      // The job's own run, by hand, inside a job the scheduler has already cancelled: Slurm marks a job
      // cancelled before it signals the job's processes, in an order of its own, so a command can end
      // well before sluice hears of the stop. The scheduler's word must settle it.
      const ws = fresh();
      const planned = parse(await ws.run(["run", "--json", "--dry-run", "ml:prep"], { env: env() }));
      const key = planned.stages[0]?.key as string;
      const stopped = cluster.command("sbatch", ["--parsable", "--output=/dev/null", "--wrap", "sleep 120"]).stdout.trim();
      cluster.command("scancel", [stopped]);
      const out = await ws.run(["job", "ml:prep", "--key", key, "--remote-cache", nginx.url("stopped-job")], { env: { ...env(), SLURM_JOB_ID: stopped } });
      expect(out.code, out.stderr).toBe(1);
      expect(out.stderr).toContain(`slurm job ${stopped} is CANCELLED`);
      expect(records("stopped-job")).toEqual([]);
      expect(ws.exists("projects/ml/data/table.csv")).toBe(false);
    });

    /** Starts `run sleepy` on the cluster, waits for `state`, interrupts it, and checks that nothing is left or cached. */
    async function interruptAt(state: "queued" | "running", prefix: string): Promise<void> {
      const ws = fresh();
      const run = ws.start(["run", "--json", "--verbose", "ml:sleepy", "--executor", "slurm", "--remote-cache", nginx.url(prefix)], { env: env() });
      await run.waitFor(state === "running" ? "[ml:sleepy] going to sleep" : "queued    ml:sleepy");
      const id = /slurm job (\d+)/.exec(run.stderr())?.[1] as string;
      expect(cluster.queued()).toContain(id);
      run.child.kill("SIGINT");
      const out = parse(await run.done);
      expect(out.code, out.stderr).toBe(130);
      expect(out.stages[0]?.status).toBe("interrupted");
      expect(out.stages[0]?.reason).toContain(`slurm job ${id} cancelled`);
      expect(cluster.queued()).not.toContain(id);
      expect(cluster.jobs().find((j) => j.id === id)?.state).toBe("CANCELLED");
      expect(records(prefix)).toEqual([]);
      expect(ws.exists("projects/ml/out/slept.txt")).toBe(false);
      expect(existsSync(join(ws.root, "cache", "records")) ? readdirSync(join(ws.root, "cache", "records")) : []).toEqual([]);
    }

    it("cancels a running job on Ctrl-C: exit 130, the queue empty of it, nothing cached", async () => {
      await interruptAt("running", "interrupt-running");
    });

    it("cancels a job still queued behind another on Ctrl-C", async () => {
      // A job holding both GPUs keeps the stage's job pending.
      const blocker = cluster.command("sbatch", ["--parsable", "--gres=gpu:2", "--output=/dev/null", "--wrap", "sleep 120"]).stdout.trim();
      try {
        await interruptAt("queued", "interrupt-queued");
      } finally {
        cluster.command("scancel", [blocker]);
      }
    });

    it("refuses a cluster stage without a writable remote cache, before anything runs (exit 2)", async () => {
      const ws = fresh();
      const out = await ws.run(["run", "ml:train"], { env: env() });
      expect(out.code).toBe(2);
      expect(out.stderr).toContain("ml:train runs on slurm, whose jobs take their inputs from and leave their outputs in the remote cache");
      expect(ws.exists("projects/ml/data/table.csv")).toBe(false);
    });
  });
});

describe("the executor and the key", () => {
  it("explain says the executor is not part of the key", async () => {
    const ws = new Workspace(FILES);
    try {
      const text = await ws.run(["explain", "ml:train"]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("executor: slurm (not part of the key: the same inputs give the same key, local or on a cluster)");
      const json = JSON.parse((await ws.run(["explain", "ml:prep", "--json"])).stdout) as { executor: string };
      expect(json.executor).toBe("local");
    } finally {
      ws.dispose();
    }
  });

  it("plans a cluster stage in a dry run without a remote cache: nothing would be submitted", async () => {
    const ws = new Workspace(FILES);
    try {
      const out = await ws.runJson(["--dry-run", "ml:train"]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stages.map((s) => s.status)).toEqual(["would-run", "would-run"]);
    } finally {
      ws.dispose();
    }
  });

  it("refuses a stage whose executor is not one sluice knows, naming the stage (exit 2)", async () => {
    const ws = new Workspace({ ...FILES, "projects/ml/pipeline.ts": PROJECT.replace('executor: "slurm"', 'executor: "kubernetes"') });
    try {
      const out = await ws.run(["run", "ml:prep"]);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('executor "kubernetes" is not one of "local", "slurm"');
      expect(out.stderr).toContain("ml:train");
    } finally {
      ws.dispose();
    }
  });
});

describe("--executor", () => {
  it("is refused with the forms it takes when it names no executor", async () => {
    const ws = new Workspace(FILES);
    try {
      const out = await ws.run(["run", "--executor", "*:train=kubernetes"]);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain("--executor *:train=kubernetes: expected an executor (local, slurm) or <stage glob>=<executor>");
    } finally {
      ws.dispose();
    }
  });
});
