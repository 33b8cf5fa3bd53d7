// How each tool is invoked at parallelism 2, and how its state is wiped for a
// cold run. Every tool is run the way its users run it: make directly, wireit
// through `npm run` (wireit reads the script name npm hands it), turbo and
// sluice through their node_modules/.bin entries (not npx, which alone costs
// ~0.6 s here).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { bin, repoRoot } from "./paths.mjs";
import { discard } from "./trash.mjs";

/**
 * @typedef {{
 *   name: string,
 *   invocation: () => { command: string, args: string[], env: Record<string,string> },
 *   report?: (stdout: string) => { ran: number, statuses: Record<string, number> },
 *   skipAbove?: { n: number, why: string },
 *   workspace?: string,
 *   start?: (dir: string) => void,
 *   stop?: (dir: string) => object,
 * }} Tool
 *
 * `workspace` names the generated workspace a tool runs in when it is not
 * its own (turbo-quiet runs turbo's). `start` readies a tool's resident
 * process before the first timed run in a workspace; `stop` ends it after
 * the last and returns what it said of itself.
 */

/** @type {Record<string, Tool>} */
export const tools = {
  make: {
    name: "make",
    invocation: () => ({ command: "make", args: ["-j2"], env: {} }),
  },
  wireit: {
    name: "wireit",
    invocation: () => ({
      command: "npm",
      args: ["run", "all"],
      // The local cache is wireit's default outside CI; pin it so a CI
      // environment variable cannot change what is measured.
      env: { WIREIT_PARALLEL: "2", WIREIT_CACHE: "local" },
    }),
  },
  turbo: {
    name: "turbo",
    invocation: () => ({
      // TURBO_BIN points at a turbo outside this repo's node_modules (the
      // native binary or the npm shim), for checkouts that do not install it.
      command: process.env.TURBO_BIN || bin("turbo"),
      args: ["run", "all", "--concurrency=2"],
      env: { TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1", DO_NOT_TRACK: "1" },
    }),
    skipAbove: {
      n: 1000,
      why: "turbo starts every task through `npm run` (~0.3 s each at 2 cores), so one cold run of 10000 stages takes ~25 min; pass --turbo-max to force it",
    },
  },
  // turbo at its quietest: the same workspace, no task logs replayed (its fastest no-op).
  "turbo-quiet": {
    name: "turbo-quiet",
    workspace: "turbo",
    invocation: () => {
      const turbo = tools.turbo.invocation();
      return { ...turbo, args: [...turbo.args, "--output-logs=none"] };
    },
    skipAbove: {
      n: 1000,
      why: "as turbo",
    },
  },
  // turbo's fastest encoding: one workspace package per stage, no task logs replayed.
  "turbo-packages": {
    name: "turbo-packages",
    invocation: () => {
      const turbo = tools.turbo.invocation();
      return { ...turbo, args: ["run", "build", "--concurrency=2", "--output-logs=none"] };
    },
    skipAbove: {
      n: 1000,
      why: "as turbo",
    },
  },
  sluice: {
    name: "sluice",
    invocation: () => {
      const args = ["run", "--jobs", "2", "--json"];
      // Until `npm install` links the bin, run the same entry file directly;
      // the link is a symlink to it, so the cost is the same.
      if (existsSync(bin("sluice"))) return { command: bin("sluice"), args, env: {} };
      return { command: process.execPath, args: [join(repoRoot, "bin", "sluice.js"), ...args], env: {} };
    },
    report: (stdout) => {
      const doc = JSON.parse(stdout);
      const statuses = {};
      for (const s of doc.stages ?? []) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
      return { ran: statuses.ran ?? 0, statuses };
    },
  },
  // The same DAG with every tenth stage a TypeScript `run` stage (named lazily
  // with runFrom): planning must not pay for stage code.
  "sluice-run": {
    name: "sluice-run",
    workspace: "sluice-run",
    invocation: () => tools.sluice.invocation(),
    report: (stdout) => tools.sluice.report(stdout),
  },
  // sluice through its server (SLUICE_SERVER=1), started before the first
  // timed run and idle-proof for the bench's length; the plain `sluice` row
  // of the same run is the figure without it.
  "sluice-server": {
    name: "sluice-server",
    workspace: "sluice",
    invocation: () => {
      const sluice = tools.sluice.invocation();
      return { ...sluice, env: { ...sluice.env, SLUICE_SERVER: "1", SLUICE_SERVER_IDLE_MS: String(4 * 3600_000) } };
    },
    report: (stdout) => tools.sluice.report(stdout),
    start: (dir) => sluiceServer(dir, "start"),
    stop: (dir) => {
      const status = JSON.parse(sluiceServer(dir, "status"));
      sluiceServer(dir, "stop");
      return status;
    },
  },
};

/** `sluice server <action> --json` in `dir`, as the sluice-server tool runs sluice; returns its stdout. */
function sluiceServer(dir, action) {
  const { command, env } = tools["sluice-server"].invocation();
  const args = command === process.execPath ? [join(repoRoot, "bin", "sluice.js")] : [];
  const out = spawnSync(command, [...args, "server", action, "--json"], { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`sluice server ${action} exited ${out.status} in ${dir}\n${out.stderr}`);
  return out.stdout;
}

/**
 * Puts a workspace back to "never built": an empty `out/` (the folder is
 * made again, not every tool creates it) and none of the entries the
 * generator did not write, which takes each tool's cache and state
 * (`.wireit`, `.turbo`, `cache/`, ...) without naming them. What goes is
 * moved to the trash, not deleted (see trash.mjs).
 */
export function resetWorkspace(dir, generated) {
  const workDir = dirname(dir);
  discard(join(dir, "out"), workDir);
  mkdirSync(join(dir, "out"));
  for (const entry of readdirSync(dir)) {
    if (!generated.has(entry)) discard(join(dir, entry), workDir);
  }
  // One package per stage (turbo-packages): each holds its own output too.
  const packages = join(dir, "packages");
  if (existsSync(packages)) {
    for (const stage of readdirSync(packages)) rmSync(join(packages, stage, "out.txt"), { force: true });
  }
}

/** Whether a tool's launcher exists (sluice may not be built yet). */
export function available(tool) {
  const { command } = tool.invocation();
  return !command.startsWith("/") || existsSync(command);
}
