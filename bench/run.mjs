#!/usr/bin/env node
// Benchmarks sluice against make, wireit and turbo on generated layered DAGs
// (turbo three ways: one package replaying task logs, the same with
// --output-logs=none, and one package per stage without logs; sluice
// twice: all `cmd` stages, and with a tenth of them TypeScript `run` stages).
//
//   npm run bench -- --sizes 100,1000 [--tools make,sluice] [--quick]
//                    [--no-big] [--turbo-max 10000] [--workdir DIR]
//
// Writes bench/results/<time>.json (every sample) plus latest.json and
// latest.md (the tables), and prints the tables.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureBigFile } from "./generate.mjs";
import { harnessOverheadMs } from "./lib/measure.mjs";
import { defaultWorkDir, repoRoot, resultsDir } from "./lib/paths.mjs";
import { addRatios, renderMarkdown, summarize } from "./lib/report.mjs";
import { BIG_SCENARIO, REPS, SCENARIOS, runScenario, settleLeaf } from "./lib/scenarios.mjs";
import { Session } from "./lib/session.mjs";
import { available, tools } from "./lib/tools.mjs";

/** Stages in the workspace that carries the 1 GiB input. */
const BIG_N = 100;

const TOOLS = Object.keys(tools);

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000" },
    tools: { type: "string", default: TOOLS.join(",") },
    quick: { type: "boolean", default: false },
    "no-big": { type: "boolean", default: false },
    "turbo-max": { type: "string" },
    workdir: { type: "string", default: defaultWorkDir },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(`usage: npm run bench -- [--sizes 100,1000] [--tools ${TOOLS.join(",")}] [--quick] [--no-big]
                        [--turbo-max 10000] [--workdir bench/work]
  Measures cold, no-op, one-leaf change and same-bytes rewrite at parallelism 2 for each tool
  (and a no-op over a 1 GiB input unless --no-big), interleaving the tools' repetitions.
  --quick: fewer repetitions. Tables go to stdout and bench/results/latest.md.`);
  process.exit(0);
}
const sizes = values.sizes.split(",").map(Number);
const selected = values.tools.split(",").map((name) => {
  if (!tools[name]) throw new Error(`unknown tool "${name}"; known: ${TOOLS.join(", ")}`);
  return tools[name];
});
const reps = values.quick ? REPS.quick : REPS.full;
const log = (line) => process.stderr.write(line + "\n");

const startedAt = new Date();
const results = {
  startedAt: startedAt.toISOString(),
  options: { sizes, tools: selected.map((t) => t.name), quick: values.quick, big: !values["no-big"], reps },
  machine: machine(),
  versions: versions(),
  invocations: Object.fromEntries(selected.map((t) => {
    const { command, args, env } = t.invocation();
    return [t.name, { command, args, env }];
  })),
  spawnOverheadMs: await harnessOverheadMs(),
  rows: [],
  skipped: [],
  outputs: {},
  /** What each tool's resident process said of itself when it was stopped (memory, commands served), by N. */
  resident: {},
};
mkdirSync(resultsDir, { recursive: true });
const stamp = startedAt.toISOString().replace(/[:.]/g, "-");

for (const n of sizes) {
  const sessions = [];
  for (const tool of selected) {
    const skip = skipReason(tool, n);
    if (skip) {
      results.skipped.push({ tool: tool.name, n, why: skip });
      log(`${tool.name} N=${n}: skipped (${skip})`);
    } else {
      sessions.push(new Session(tool, n, join(values.workdir, `${tool.name}-${n}`)));
    }
  }
  log(`N=${n}: ${sessions.map((s) => s.tool.name).join(", ")}`);
  startResident(sessions);
  let alive = sessions;
  for (const scenario of SCENARIOS) {
    const outcome = await runScenario(alive, scenario, reps, log);
    alive = record(outcome, n, scenario);
    save();
  }
  // Same final input everywhere, so every tool must end with equal bytes.
  for (const session of alive) {
    settleLeaf(session);
    try {
      await session.run();
      (results.outputs[n] ??= {})[session.tool.name] = session.outputsDigest();
    } catch (error) {
      results.skipped.push({ tool: session.tool.name, n, why: `final run failed: ${firstLine(error)}` });
    }
  }
  stopResident(sessions, n);
  save();
}

if (!values["no-big"]) {
  const bigFile = ensureBigFile(join(values.workdir, "big-input.bin"));
  const sessions = selected
    .filter((t) => !skipReason(t, BIG_N))
    .map((t) => new Session(t, BIG_N, join(values.workdir, `${t.name}-${BIG_N}-big`), bigFile));
  log(`N=${BIG_N} + 1 GiB input: ${sessions.map((s) => s.tool.name).join(", ")}`);
  startResident(sessions);
  // The build the no-op then repeats.
  const built = await runScenario(sessions, { name: "build" }, { build: 1, budgetMs: Infinity }, log);
  const ready = sessions.filter((s) => !built.get(s).error);
  record(await runScenario(ready, BIG_SCENARIO, reps, log), BIG_N, BIG_SCENARIO);
  stopResident(sessions, `${BIG_N}-big`);
  save();
}

log("");
process.stdout.write(renderMarkdown(results.rows, results.skipped, results.outputs) + "\n");
const mismatched = Object.entries(results.outputs).filter(([, byTool]) => new Set(Object.values(byTool)).size > 1);
for (const [n, byTool] of mismatched) log(`outputs differ at N=${n}: ${JSON.stringify(byTool)}`);

/** Readies the resident process of each tool that has one (sluice-server), before any timed run. */
function startResident(sessions) {
  for (const session of sessions) session.tool.start?.(session.dir);
}

/** Ends those processes and keeps what they said of themselves (memory, commands served). */
function stopResident(sessions, key) {
  for (const session of sessions.filter((s) => s.tool.stop)) {
    const said = session.tool.stop(session.dir);
    (results.resident[key] ??= {})[session.tool.name] = said;
    log(`${session.tool.name} ${key}: its resident process said ${JSON.stringify(said)}`);
  }
}

/** Stores each tool's row; returns the sessions still fit to continue. */
function record(outcome, n, scenario) {
  const alive = [];
  for (const [session, { samples, error }] of outcome) {
    const name = session.tool.name;
    if (samples.length > 0) results.rows.push(summarize(name, n, scenario.name, scenario.expect(session.dag, name), samples));
    if (error) results.skipped.push({ tool: name, n, why: `${scenario.name} failed: ${firstLine(error)}` });
    else alive.push(session);
  }
  return alive;
}

function save() {
  addRatios(results.rows);
  results.loadAverageNow = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const text = JSON.stringify(results, null, 1) + "\n";
  writeFileSync(join(resultsDir, `${stamp}.json`), text);
  writeFileSync(join(resultsDir, "latest.json"), text);
  writeFileSync(join(resultsDir, "latest.md"), renderMarkdown(results.rows, results.skipped, results.outputs) + "\n");
}

function skipReason(tool, n) {
  if (!available(tool)) return `${tool.invocation().command} not found`;
  const limit = tool.skipAbove;
  const max = tool.name.startsWith("turbo") && values["turbo-max"] ? Number(values["turbo-max"]) : limit?.n;
  return limit && n > max ? limit.why : undefined;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

function versions() {
  const pkg = (path) => JSON.parse(readFileSync(join(repoRoot, path), "utf8")).version;
  const tryRun = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0].trim();
    } catch {
      return null;
    }
  };
  return {
    make: tryRun("make", ["--version"]),
    npm: tryRun("npm", ["--version"]),
    wireit: pkg("node_modules/wireit/package.json"),
    turbo: tryRun(tools.turbo.invocation().command, ["--version"]),
    sluice: pkg("package.json"),
    // bin/sluice.js runs dist/ when it exists, else src/ through tsx; a stale
    // dist/ would be measured instead of the sources, so record which it was.
    sluiceEntry: existsSync(join(repoRoot, "dist", "src", "cli", "main.js"))
      ? `dist/ built ${statSync(join(repoRoot, "dist", "src", "cli", "main.js")).mtime.toISOString()}`
      : "src/ through tsx",
    sluiceCommit: tryRun("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"]),
  };
}

function firstLine(error) {
  return String(error?.message ?? error).split("\n")[0];
}
