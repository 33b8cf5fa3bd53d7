#!/usr/bin/env node
// The cost of running a stage as a Slurm job instead of here: a trivial
// stage (one `echo`) run N times with a fresh key each time, once with
// --executor local and once with --executor slurm, in two clones of the
// same workspace sharing one remote cache.
//
//   node bench/slurm-overhead.mjs [--reps 5]
//
// With SLURM_CONF and SLUICE_REMOTE_CACHE set it uses that cluster and
// cache; otherwise it starts the tests' single-node cluster and nginx
// (tests/team/slurm.ts and nginx.ts, bundled on the fly). The job's time
// is submission to completion as the executor sees it (the stage's
// durationMs: sbatch, queue, node checkout, `sluice job`, the restore of
// its outputs here). Writes bench/results/slurm-overhead.json.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { repoRoot, resultsDir } from "./lib/paths.mjs";

const { values } = parseArgs({ options: { reps: { type: "string", default: "5" } } });
const reps = Number(values.reps);
const bin = join(repoRoot, "bin", "sluice.js");

/** The tests' cluster and nginx helpers, compiled to one module we can import (beside the repository's node_modules). */
async function testServers() {
  const dir = join(repoRoot, "bench", "work");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, "slurm-servers.mjs");
  writeFileSync(join(dir, "entry.ts"), `export { SlurmCluster } from ${JSON.stringify(join(repoRoot, "tests/team/slurm.ts"))};\nexport { Nginx } from ${JSON.stringify(join(repoRoot, "tests/team/nginx.ts"))};\n`);
  // requirements.ts imports vitest for its describe helper, which the bench never calls.
  await build({ entryPoints: [join(dir, "entry.ts")], bundle: true, platform: "node", format: "esm", outfile, external: ["vitest"], logLevel: "error" });
  return import(outfile);
}

function workspace(base, name) {
  const root = join(base, name);
  const files = {
    "package.json": JSON.stringify({ name: "bench", type: "module", private: true }),
    "pipeline.ts": 'import { defineWorkspace } from "sluice";\nexport default defineWorkspace({ projects: ["projects/t"] });\n',
    "projects/t/pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("t", (p) => {
  p.stage("trivial", { params: { n: 0 }, outs: { out: file("out.txt") }, cmd: "echo {params.n} > {outs.out}" });
});
`,
    ".gitignore": "node_modules\ncache/\nsluice.lock\nprojects/t/out.txt\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, "node_modules"));
  symlinkSync(repoRoot, join(root, "node_modules", "sluice"));
  const git = (...args) => execFileSync("git", ["-c", "user.email=bench@example.com", "-c", "user.name=bench", ...args], { cwd: root, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "bench");
  return root;
}

function run(root, n, executor, env) {
  const started = performance.now();
  const out = spawnSync(process.execPath, [bin, "run", "--json", "--executor", executor, "--set", `t:trivial.n=${n}`], { cwd: root, env, encoding: "utf8" });
  const wallMs = performance.now() - started;
  if (out.status !== 0) throw new Error(`${executor} run ${n} failed (${out.status}):\n${out.stderr}`);
  const stage = JSON.parse(out.stdout).stages[0];
  if (stage.status !== "ran") throw new Error(`${executor} run ${n}: the stage was ${stage.status}`);
  return { wallMs, stageMs: stage.durationMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const base = mkdtempSync(join(os.tmpdir(), "sluice-bench-slurm-"));
let cluster;
let nginx;
try {
  const env = { ...process.env };
  if (!env.SLURM_CONF || !env.SLUICE_REMOTE_CACHE) {
    const { SlurmCluster, Nginx } = await testServers();
    [cluster, nginx] = await Promise.all([SlurmCluster.start(), Nginx.start()]);
    Object.assign(env, cluster.env(), { SLUICE_REMOTE_CACHE: nginx.url("bench") });
  }
  env.SLUICE_SLURM_PREPARE ??= 'git clone --quiet "$SLUICE_REPO" . && git checkout --quiet "$SLUICE_COMMIT" && ln -s "$SLUICE_REPO/node_modules" node_modules';
  const local = workspace(base, "local");
  const remote = workspace(base, "slurm");
  const samples = { local: [], slurm: [] };
  for (let i = 1; i <= reps; i++) {
    samples.local.push(run(local, i, "local", env));
    samples.slurm.push(run(remote, 1000 + i, "slurm", env));
  }
  const summary = Object.fromEntries(
    Object.entries(samples).map(([name, xs]) => [name, { wallMs: Math.round(median(xs.map((x) => x.wallMs))), stageMs: Math.round(median(xs.map((x) => x.stageMs))) }]),
  );
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadavg: os.loadavg() },
    pollMs: Number(env.SLUICE_SLURM_POLL_MS ?? 500),
    reps,
    median: summary,
    overheadMs: summary.slurm.stageMs - summary.local.stageMs,
    samples,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "slurm-overhead.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`trivial stage, median of ${reps} (poll every ${result.pollMs} ms):`);
  console.log(`  local: stage ${summary.local.stageMs} ms, whole run ${summary.local.wallMs} ms`);
  console.log(`  slurm: stage ${summary.slurm.stageMs} ms (submission to outputs restored), whole run ${summary.slurm.wallMs} ms`);
  console.log(`  overhead per job: ${result.overheadMs} ms`);
} finally {
  await cluster?.dispose();
  await nginx?.dispose();
  rmSync(base, { recursive: true, force: true });
}
