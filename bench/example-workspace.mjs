#!/usr/bin/env node
// The workspace a new user runs first: the repository's own example projects,
// all cached. Measures, interleaved, a bare `node -e 0`, `sluice --version`
// (the CLI's bare start), a no-op `sluice run` and `sluice status`, each
// also through the sluice server (SLUICE_SERVER=1, started before the first
// timed run), and checks the targets the no-op is held to: at most the bare
// start + 150 ms, under 100 MB max RSS (the client's; the server's resident
// memory is printed beside).
//
//   node bench/example-workspace.mjs [--reps 15] [--workspace DIR] [--profile DIR]
//
// --profile also writes a V8 CPU profile of one no-op into DIR and prints
// where its self time went, by package and by function.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { measure, median } from "./lib/measure.mjs";
import { repoRoot } from "./lib/paths.mjs";

/** What the issue holds the example no-op to. */
const TARGETS = { overBareStartMs: 150, maxRssMb: 100 };

const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "15" },
    workspace: { type: "string", default: repoRoot },
    profile: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(`usage: node bench/example-workspace.mjs [--reps 15] [--workspace DIR] [--profile DIR]
  Times node -e 0, sluice --version, a no-op sluice run and sluice status in the example workspace
  (the repository root unless --workspace), interleaved; prints medians, max RSS and the targets.`);
  process.exit(0);
}

const cwd = values.workspace;
const cli = join(repoRoot, "bin", "sluice.js");
const SERVED = { SLUICE_SERVER: "1", SLUICE_SERVER_IDLE_MS: String(3600_000) };
const cases = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "sluice --version", args: [cli, "--version"] },
  { name: "sluice run (no-op)", args: [cli, "run"], heldToTargets: true },
  { name: "sluice status", args: [cli, "status"], heldToTargets: true },
  { name: "sluice run (no-op), served", args: [cli, "run"], env: SERVED, heldToTargets: true },
  { name: "sluice status, served", args: [cli, "status"], env: SERVED, heldToTargets: true },
];

process.stderr.write(`warming up in ${cwd} (a first run builds whatever is not cached)\n`);
const warm = spawnSync(process.execPath, [cli, "run"], { cwd, stdio: ["ignore", "ignore", "inherit"] });
if (warm.status !== 0) throw new Error(`sluice run failed in ${cwd} (exit ${warm.status})`);
sluiceServer("start");

const samples = new Map(cases.map((c) => [c.name, []]));
const reps = Number(values.reps);
for (let r = 0; r < reps; r++) {
  // Alternate the order so drifting load hits every case alike.
  for (const c of r % 2 ? [...cases].reverse() : cases) {
    const m = await measure(process.execPath, c.args, { cwd, env: c.env ?? {} });
    if (m.code !== 0) throw new Error(`${c.name} exited ${m.code}: ${m.stderr}`);
    samples.get(c.name).push(m.ms);
  }
}
const rows = [];
for (const c of cases) {
  const probe = await measure(process.execPath, c.args, { cwd, env: c.env ?? {}, probe: true });
  rows.push({ ...c, ms: median(samples.get(c.name)), rssMb: probe.maxRssKb === null ? null : probe.maxRssKb / 1024 });
}

const server = JSON.parse(sluiceServer("status"));
sluiceServer("stop");

const bare = rows.find((r) => r.name === "sluice --version").ms;
console.log(`example workspace ${relative(process.cwd(), cwd) || "."}, ${reps} interleaved runs, medians\n`);
console.log("| command | wall | over `sluice --version` | max RSS |");
console.log("|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.name} | ${r.ms.toFixed(0)} ms | ${signed(r.ms - bare)} ms | ${r.rssMb?.toFixed(0) ?? "?"} MB |`);
}
console.log(`\nThe server served ${server.commands} commands and held ${(server.rssBytes / 2 ** 20).toFixed(0)} MB resident at the end.\n`);
for (const r of rows.filter((row) => row.heldToTargets)) {
  const over = r.ms - bare;
  const fast = over <= TARGETS.overBareStartMs ? "meets" : "misses";
  const lean = r.rssMb !== null && r.rssMb < TARGETS.maxRssMb ? "meets" : "misses";
  console.log(`${r.name}: ${fast} bare start + ${TARGETS.overBareStartMs} ms (${signed(over)}), ${lean} < ${TARGETS.maxRssMb} MB`);
}

if (values.profile) profileNoOp(values.profile);

function signed(ms) {
  return (ms >= 0 ? "+" : "") + ms.toFixed(0);
}

/** `sluice server <action> --json` in the workspace; returns its stdout. */
function sluiceServer(action) {
  const out = spawnSync(process.execPath, [cli, "server", action, "--json"], { cwd, env: { ...process.env, ...SERVED }, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`sluice server ${action} exited ${out.status}: ${out.stderr}`);
  return out.stdout;
}

/** One no-op under `--cpu-prof`; prints self time by package and the top functions. */
function profileNoOp(dir) {
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, cli, "run"], { cwd, stdio: "ignore" });
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile") && !before.has(f));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const selfMs = selfTimeByNode(profile);
    const byPackage = new Map();
    const byFunction = new Map();
    for (const node of profile.nodes) {
      const ms = selfMs.get(node.id) ?? 0;
      const where = origin(node.callFrame.url);
      byPackage.set(where, (byPackage.get(where) ?? 0) + ms);
      const fn = `${node.callFrame.functionName || "(anonymous)"} ${where}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    }
    const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
    console.log(`\nCPU profile ${join(dir, file)}: ${total.toFixed(0)} ms sampled`);
    for (const [label, table] of [["by package", byPackage], ["top functions", byFunction]]) {
      console.log(`  ${label}:`);
      for (const [name, ms] of [...table].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${ms.toFixed(0).padStart(5)} ms  ${name}`);
    }
  }
}

/** Self time per profile node: each sample's interval charged to the node it landed on. */
function selfTimeByNode(profile) {
  const ms = new Map();
  profile.samples.forEach((id, i) => ms.set(id, (ms.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  return ms;
}

/** A script URL reduced to who owns the code: a package, sluice's bundle, Node itself or the workspace. */
function origin(url) {
  if (!url) return "(native: compile, GC, idle)";
  if (url.startsWith("node:")) return "node internals";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.includes("/dist/bundle/")) return "sluice bundle";
  return "workspace code";
}
