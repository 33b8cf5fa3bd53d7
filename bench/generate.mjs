#!/usr/bin/env node
// Writes one generated workspace per tool: the pipeline in the tool's own
// syntax, a 4 KiB input per stage, and an empty `out/`.
//
//   node bench/generate.mjs --tool make --n 1000 [--big] [--dir bench/work/x]
import { execFileSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildDag, inputText } from "./lib/dag.mjs";
import { emitMake, inPath } from "./lib/emit-make.mjs";
import { emitSluice } from "./lib/emit-sluice.mjs";
import { emitTurbo } from "./lib/emit-turbo.mjs";
import { emitTurboPackages, packageDir } from "./lib/emit-turbo-packages.mjs";
import { emitWireit } from "./lib/emit-wireit.mjs";
import { defaultWorkDir, repoRoot } from "./lib/paths.mjs";
import { discard } from "./lib/trash.mjs";

export const TOOLS = ["make", "wireit", "turbo", "turbo-packages", "sluice", "sluice-run"];
export const RUN_LOG = "runs.log";

/**
 * Creates (replacing) the workspace for `tool` at `dir`. `bigFile`, when
 * given, is hard-linked in as the 1 GiB stage input: one copy on disk and in
 * the page cache however many tools use it.
 * @returns {{ dag: import("./lib/dag.mjs").Dag, generated: Set<string> }} the DAG
 *   and the top-level entries written, which a cold reset keeps
 */
export function generateWorkspace({ tool, n, dir, bigFile }) {
  const dag = buildDag(n, { big: Boolean(bigFile) });
  discard(dir, dirname(resolve(dir)));
  mkdirSync(join(dir, "inputs"), { recursive: true });
  // Outputs go to an existing `out/`: not every tool creates parent folders.
  mkdirSync(join(dir, "out"));
  // Absolute, so the log is found whatever cwd a tool gives its commands.
  const runLog = join(resolve(dir), RUN_LOG);
  writeFileSync(runLog, "");
  for (const s of dag.stages) {
    if (s.big) linkSync(bigFile, join(dir, inPath(s.name)));
    else writeFileSync(join(dir, inPath(s.name)), inputText(s.name));
  }
  const files = emit(tool, dag, runLog);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  if (tool === "turbo-packages") {
    // Each package reads its input through a hard link to the shared one, which the scenarios edit in place.
    for (const s of dag.stages) linkSync(join(dir, inPath(s.name)), join(dir, packageDir(s.name), "in.txt"));
  }
  if (tool.startsWith("sluice")) {
    // The pipeline imports "sluice"; resolve it to this checkout.
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(repoRoot, join(dir, "node_modules", "sluice"), "dir");
  }
  if (tool.startsWith("turbo")) {
    // The work dir sits inside the (git-ignored) bench folder of the sluice
    // repo; turbo hashes through git and would treat every input as ignored.
    // Its own repository is also how turbo is used in practice.
    execFileSync("git", ["init", "-q", dir]);
    writeFileSync(join(dir, ".gitignore"), "out/\n.turbo/\nruns.log\nout.txt\n");
    // Committed, as sources are where turbo is used: turbo hashes tracked files from git's index and
    // hashes untracked ones itself, ten times slower (a per-package no-op at N=1000: 4.8 s against 0.47 s).
    const git = (...args) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], { cwd: dir });
    git("add", "-A");
    git("commit", "-q", "-m", "generated");
  }
  const generated = new Set([...Object.keys(files).map((name) => name.split("/")[0]), "inputs", "out", RUN_LOG, "node_modules", ".git", ".gitignore"]);
  return { dag, generated };
}

function emit(tool, dag, runLog) {
  switch (tool) {
    case "make": return emitMake(dag, runLog);
    case "wireit": return emitWireit(dag, runLog);
    case "turbo": return emitTurbo(dag, runLog, npmVersion());
    case "turbo-packages": return emitTurboPackages(dag, runLog, npmVersion());
    case "sluice": return emitSluice(dag, runLog);
    case "sluice-run": return emitSluice(dag, runLog, { runEvery: 10 });
    default: throw new Error(`unknown tool ${tool}`);
  }
}

let cachedNpmVersion;
function npmVersion() {
  cachedNpmVersion ??= execFileSync("npm", ["--version"], { encoding: "utf8" }).trim();
  return cachedNpmVersion;
}

/** Writes a 1 GiB file of non-repeating-looking bytes once and reuses it. */
export function ensureBigFile(path, bytes = 1 << 30) {
  if (existsSync(path)) return path;
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
  mkdirSync(resolve(path, ".."), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, "");
  for (let off = 0; off < bytes; off += chunk.length) {
    chunk.writeUInt32LE(off >>> 20, 0); // every MiB differs from the last
    writeFileSync(tmp, chunk, { flag: "a" });
  }
  execFileSync("mv", [tmp, path]);
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { tool: { type: "string" }, n: { type: "string", default: "100" }, dir: { type: "string" }, big: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(`usage: node bench/generate.mjs [--tool ${TOOLS.join("|")}] [--n 100] [--big] [--dir <folder>]
  Writes the benchmark workspace of each tool (all tools unless --tool) under bench/work/<tool>-<n>,
  or at --dir when one tool is named. --big adds the 1 GiB input of the big no-op scenario.`);
    process.exit(0);
  }
  const tools = values.tool ? [values.tool] : TOOLS;
  const n = Number(values.n);
  for (const tool of tools) {
    const dir = values.dir && tools.length === 1 ? values.dir : join(defaultWorkDir, `${tool}-${n}${values.big ? "-big" : ""}`);
    const bigFile = values.big ? ensureBigFile(join(defaultWorkDir, "big-input.bin")) : undefined;
    const { dag } = generateWorkspace({ tool, n, dir, bigFile });
    console.log(`${tool}: ${dag.stages.length} stages, ${dag.layers} layers -> ${dir}`);
  }
}
