// Runs one tool invocation and measures it. Timed runs are a bare spawn: the
// wrappers below cost ~4 ms each here, more than a make no-op is worth. A
// probe run adds them to read the peak RSS of the largest process in the tree
// (GNU time) and the bytes read by the whole tree (`rchar` from /proc, read by
// a shell after its children are reaped, so it includes them). rchar counts
// reads served from the page cache too, which is what tells us whether a
// no-op re-read a 1 GiB input.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const GNU_TIME = "/usr/bin/time";
const hasGnuTime = existsSync(GNU_TIME);
const hasProcIo = existsSync("/proc/self/io");
const scratch = mkdtempSync(join(tmpdir(), "sluice-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

// `"$@"` runs the tool; the io file is written after it exits and is reaped.
const WRAPPER = '"$@"; rc=$?; cat /proc/$$/io > "$BENCH_IO_OUT" 2>/dev/null; exit $rc';

/**
 * @typedef {{ ms: number, code: number|null, stdout: string, stderr: string,
 *   maxRssKb: number|null, readBytes: number|null }} Measurement
 */

/**
 * Runs `command args` in `cwd`; with `probe`, through the RSS and read-bytes
 * wrappers (then `ms` includes their cost). @returns {Promise<Measurement>}
 */
export function measure(command, args, { cwd, env = {}, probe = false }) {
  const rssFile = join(scratch, "rss");
  const ioFile = join(scratch, "io");
  rmSync(rssFile, { force: true });
  rmSync(ioFile, { force: true });
  let argv = probe && hasProcIo ? ["sh", "-c", WRAPPER, "sh", command, ...args] : [command, ...args];
  if (probe && hasGnuTime) argv = [GNU_TIME, "-f", "%M", "-o", rssFile, ...argv];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, ...env, BENCH_IO_OUT: ioFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - start;
      resolve({
        ms,
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        maxRssKb: readNumber(rssFile, /(\d+)\s*$/),
        readBytes: readNumber(ioFile, /^rchar:\s*(\d+)/m),
      });
    });
  });
}

function readNumber(path, pattern) {
  if (!existsSync(path)) return null;
  const match = readFileSync(path, "utf8").match(pattern);
  return match ? Number(match[1]) : null;
}

/** What spawning alone costs the timed runs: the median of timing `true`. */
export async function harnessOverheadMs(reps = 15) {
  const samples = [];
  for (let i = 0; i < reps; i++) samples.push((await measure("true", [], { cwd: scratch })).ms);
  return median(samples);
}

export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
