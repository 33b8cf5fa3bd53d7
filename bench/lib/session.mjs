// One generated workspace of one tool, and the single operation the scenarios
// need on it: run the tool once and say how long it took and how many stages
// actually executed. Executions are counted from the run log every stage
// command appends to, the same way for every tool; sluice's own `--json`
// report is checked against that count.
import { createHash } from "node:crypto";
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { RUN_LOG, generateWorkspace } from "../generate.mjs";
import { measure } from "./measure.mjs";
import { resetWorkspace } from "./tools.mjs";

/**
 * @typedef {{ ms: number, reran: number, reported?: Record<string, number>,
 *   maxRssKb?: number|null, readBytes?: number|null, probe?: boolean }} Sample
 */

export class Session {
  #generated;
  /** @param {import("./tools.mjs").Tool} tool */
  constructor(tool, n, dir, bigFile) {
    this.tool = tool;
    this.dir = dir;
    const { dag, generated } = generateWorkspace({ tool: tool.workspace ?? tool.name, n, dir, bigFile });
    this.dag = dag;
    this.#generated = generated;
  }

  /** Back to "never built": no outputs, no cache. */
  reset() {
    resetWorkspace(this.dir, this.#generated);
  }

  /** Runs the tool once; throws with its output if it fails. @returns {Promise<Sample>} */
  async run({ probe = false } = {}) {
    const logPath = join(this.dir, RUN_LOG);
    const before = statSync(logPath).size;
    const { command, args, env } = this.tool.invocation();
    const m = await measure(command, args, { cwd: this.dir, env, probe });
    if (m.code !== 0) {
      const tail = (m.stderr + m.stdout).trim().split("\n").slice(-15).join("\n");
      throw new Error(`${this.tool.name} exited ${m.code} in ${this.dir}\n${tail}`);
    }
    /** @type {Sample} */
    const sample = { ms: round(m.ms), reran: countLines(logPath, before) };
    if (probe) Object.assign(sample, { probe: true, maxRssKb: m.maxRssKb, readBytes: m.readBytes });
    if (this.tool.report) {
      const report = this.tool.report(m.stdout);
      sample.reported = report.statuses;
      if (report.ran !== sample.reran) {
        sample.mismatch = `--json says ${report.ran} ran, the run log counted ${sample.reran}`;
      }
    }
    return sample;
  }

  /** A digest of every output, to check all tools built the same bytes. */
  outputsDigest() {
    const hash = createHash("sha256");
    const outDir = join(this.dir, "out");
    for (const name of readdirSync(outDir).sort()) hash.update(name).update(readFileSync(join(outDir, name)));
    return hash.digest("hex").slice(0, 16);
  }
}

/** Lines appended to `path` since it was `from` bytes long. */
function countLines(path, from) {
  const size = statSync(path).size;
  if (size <= from) return 0;
  const buf = Buffer.alloc(size - from);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, buf.length, from);
  } finally {
    closeSync(fd);
  }
  let lines = 0;
  for (const byte of buf) if (byte === 10) lines++;
  return lines;
}

const round = (ms) => Math.round(ms * 10) / 10;
