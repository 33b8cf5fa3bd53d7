#!/usr/bin/env node
// Renders the Markdown tables from one or more results files, for runs split
// by tool (say wireit and turbo in one, sluice in another). Ratios stay the
// ones computed against make inside each run; when several files hold make,
// the table shows the make rows of the last file given.
//
//   node bench/table.mjs bench/results/A.json bench/results/B.json
import { readFileSync } from "node:fs";
import { renderMarkdown } from "./lib/report.mjs";

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node bench/table.mjs <results.json>...\n");
  process.exit(2);
}
const runs = files.map((path) => ({ path, ...JSON.parse(readFileSync(path, "utf8")) }));
const key = (r) => `${r.tool} ${r.n} ${r.scenario}`;
const rows = new Map();
for (const run of runs) for (const row of run.rows) rows.set(key(row), row);
const skipped = runs.flatMap((run) => run.skipped);
const outputs = {};
for (const run of runs) for (const [n, byTool] of Object.entries(run.outputs ?? {})) Object.assign((outputs[n] ??= {}), byTool);

const lines = runs.map((run) => `- ${run.path}: ${run.options.tools.join(", ")} at N=${run.options.sizes.join(", ")}, started ${run.startedAt}, load ${run.machine.loadAverageAtStart.join(" ")} -> ${run.loadAverageNow?.join(" ")}`);
process.stdout.write(`Runs:\n${lines.join("\n")}\n\n${renderMarkdown([...rows.values()], skipped, outputs)}\n`);
